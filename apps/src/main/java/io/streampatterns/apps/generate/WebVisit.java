package io.streampatterns.apps.generate;

/**
 * One client's visit to the {@link WebSite}: browsers read a few pages, each followed by its assets (conditional
 * requests when returning); crawlers fetch robots.txt, pages and downloads; feed readers fetch one feed;
 * scanners probe for admin pages. {@link #step} makes the next request current.
 */
final class WebVisit implements Comparable<WebVisit> {
    enum Kind { BROWSER, CRAWLER, FEED, SCANNER }

    final long seq;
    final Kind kind;
    final String ip;
    final String agent;
    /** The current request. */
    long time;
    String method;
    String path;
    String protocol;
    String referrer;
    boolean conditional;
    boolean movedPermanently;
    boolean probe;

    private final boolean returning;
    private long nextTime;
    private int pagesLeft;
    private int assetsLeft;
    private String page;

    WebVisit(long seq, Kind kind, String ip, String agent, long at, Rand rand) {
        this.seq = seq;
        this.kind = kind;
        this.ip = ip;
        this.agent = agent;
        this.nextTime = at;
        this.returning = rand.chance(0.15);
        this.protocol = kind == Kind.CRAWLER && rand.chance(0.1) ? "HTTP/1.0" : "HTTP/1.1";
        this.pagesLeft = switch (kind) {
            case BROWSER -> (int) Math.min(8, 1 + (long) rand.exponential(1.2));
            case CRAWLER -> (int) Math.min(30, 1 + (long) rand.exponential(5));
            case FEED -> 1;
            case SCANNER -> (int) rand.between(3, 10);
        };
    }

    long nextTime() {
        return nextTime;
    }

    /** Earliest next request first; ties by visit. */
    @Override
    public int compareTo(WebVisit o) {
        int c = Long.compare(nextTime, o.nextTime);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }

    /** Makes the next request current and schedules the one after; false when the visit is over. */
    boolean step(WebSite site, Rand rand) {
        time = nextTime;
        method = "GET";
        conditional = false;
        movedPermanently = false;
        probe = false;
        if (assetsLeft > 0) {
            assetsLeft--;
            path = site.asset(rand);
            referrer = WebSite.HOST + page;
            conditional = returning;
            nextTime = time + rand.between(20, 800);
        } else {
            pagesLeft--;
            request(site, rand);
            nextTime = time + gapMillis(rand);
        }
        return pagesLeft > 0 || assetsLeft > 0;
    }

    private void request(WebSite site, Rand rand) {
        switch (kind) {
            case BROWSER -> {
                referrer = page != null ? WebSite.HOST + page : rand.chance(0.5) ? "-" : rand.pick(WebSite.REFERRERS);
                page = site.page(rand);
                path = page;
                assetsLeft = (int) rand.between(1, 5);
                redirectSometimes(rand);
            }
            case CRAWLER -> {
                referrer = "-";
                path = page == null && rand.chance(0.4) ? WebSite.ROBOTS
                        : rand.chance(0.2) ? site.download(rand) : site.page(rand);
                page = path;
                method = rand.chance(0.05) ? "HEAD" : "GET";
                redirectSometimes(rand);
            }
            case FEED -> {
                referrer = "-";
                path = site.feed(rand);
            }
            case SCANNER -> {
                referrer = "-";
                probe = !rand.chance(0.2);
                path = probe ? rand.pick(WebSite.PROBES) : "/";
                double m = rand.uniform();
                method = m < 0.7 ? "GET" : m < 0.85 ? "POST" : m < 0.95 ? "HEAD" : "OPTIONS";
            }
        }
    }

    /** A directory page asked without its trailing slash gets a 301. */
    private void redirectSometimes(Rand rand) {
        if (path.length() > 1 && path.endsWith("/") && rand.chance(0.1)) {
            path = path.substring(0, path.length() - 1);
            movedPermanently = true;
        }
    }

    private long gapMillis(Rand rand) {
        if (assetsLeft > 0) {
            return rand.between(20, 800);
        }
        return switch (kind) {
            case BROWSER -> rand.between(3_000, 120_000);
            case CRAWLER -> rand.between(1_000, 30_000);
            case FEED -> 0;
            case SCANNER -> rand.between(100, 2_000);
        };
    }
}
