package io.streampatterns.apps.generate;

import java.util.PriorityQueue;

/**
 * Apache access log in combined format plus the response time in microseconds ({@code %D}):
 * {@code %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D}. Traffic follows a daily cycle; visits
 * come from a fixed pool of clients (see {@link WebVisit}). Mostly 200, some 304/301/404/206, a few 403/416/500,
 * and every few hours an incident of a few minutes with many 5xx and slow responses.
 */
final class ApacheLogsGenerator implements Generator {
    private static final int CLIENTS = 4000;
    private static final double[] KIND_WEIGHTS = {72, 12, 13, 3};
    private static final String[] SERVER_ERRORS = {"500", "502", "503", "504"};
    private static final double[] SERVER_ERROR_WEIGHTS = {3, 3, 3, 1};
    private static final double MEAN_VISIT_GAP_MILLIS = 2_000;
    private static final double MEAN_INCIDENT_GAP_MILLIS = 3 * 3_600_000;

    private final GeneratorOptions options;
    private final Rand rand;
    private final WebSite site;
    private final WebVisit.Kind[] clientKind = new WebVisit.Kind[CLIENTS];
    private final String[] clientIp = new String[CLIENTS];
    private final String[] clientAgent = new String[CLIENTS];
    private final Timestamps timestamps = new Timestamps();
    private final StringBuilder sb = new StringBuilder(400);
    private long incidentStart;
    private long incidentEnd;

    ApacheLogsGenerator(GeneratorOptions options) {
        this.options = options;
        this.rand = Rand.stream(options.seed(), 6);
        this.site = new WebSite(options.seed());
        for (int c = 0; c < CLIENTS; c++) {
            clientKind[c] = WebVisit.Kind.values()[rand.weightedIndex(KIND_WEIGHTS)];
            clientIp[c] = publicIp();
            clientAgent[c] = rand.pick(switch (clientKind[c]) {
                case BROWSER -> WebSite.BROWSER_AGENTS;
                case CRAWLER -> WebSite.CRAWLER_AGENTS;
                case FEED -> WebSite.FEED_AGENTS;
                case SCANNER -> WebSite.SCANNER_AGENTS;
            });
        }
    }

    @Override
    public void write(Sink out, long n) {
        Arrivals arrivals = new Arrivals(out, Rand.stream(options.seed(), 7));
        PriorityQueue<WebVisit> visits = new PriorityQueue<>();
        long nextVisit = options.startMillis();
        long visitCount = 0;
        incidentStart = options.startMillis() + (long) rand.exponential(MEAN_INCIDENT_GAP_MILLIS);
        incidentEnd = incidentStart + rand.between(60_000, 360_000);
        while (arrivals.added() < n) {
            WebVisit head = visits.peek();
            if (head == null || nextVisit < head.nextTime()) {
                int c = rand.chance(0.3) ? rand.skewed(CLIENTS) : rand.nextInt(CLIENTS);
                visits.add(new WebVisit(visitCount++, clientKind[c], clientIp[c], clientAgent[c], nextVisit, rand));
                nextVisit += 1 + (long) (rand.exponential(MEAN_VISIT_GAP_MILLIS) / dailyCycle(nextVisit));
                continue;
            }
            visits.poll();
            arrivals.advanceTo(head.nextTime());
            if (head.step(site, rand)) {
                visits.add(head);
            }
            arrivals.add(head.time, line(head));
        }
        arrivals.drain();
    }

    private String line(WebVisit v) {
        boolean incident = inIncident(v.time);
        String status = status(v, incident);
        sb.setLength(0);
        sb.append(v.ip).append(" - - [");
        timestamps.appendApache(sb, v.time);
        sb.append("] \"").append(v.method).append(' ').append(v.path).append(' ').append(v.protocol).append("\" ")
                .append(status).append(' ').append(size(v, status)).append(" \"").append(v.referrer).append("\" \"")
                .append(v.agent).append("\" ").append(micros(v, status, incident));
        return sb.toString();
    }

    private String status(WebVisit v, boolean incident) {
        if (incident && rand.chance(0.35)) {
            return rand.weighted(SERVER_ERRORS, SERVER_ERROR_WEIGHTS);
        }
        if (v.probe) {
            return rand.chance(0.9) ? "404" : "403";
        }
        if (v.movedPermanently) {
            return "301";
        }
        double u = rand.uniform();
        if (u < 0.0005) {
            return "500";
        }
        if (u < 0.0008) {
            return "416";
        }
        if (u < 0.0013) {
            return "403";
        }
        if (u < 0.0093) {
            return "404";
        }
        if (v.conditional && rand.chance(0.6)) {
            return "304";
        }
        return WebSite.isDownload(v.path) && rand.chance(0.25) ? "206" : "200";
    }

    private String size(WebVisit v, String status) {
        if (v.method.equals("HEAD")) {
            return "-";
        }
        long bytes = switch (status) {
            case "200" -> site.size(v.path);
            case "206" -> rand.between(1, site.size(v.path));
            case "301" -> rand.between(230, 250);
            case "403", "404" -> rand.between(280, 520);
            case "304", "416" -> 0;
            default -> rand.chance(0.5) ? 0 : rand.between(500, 650);
        };
        return bytes == 0 ? "-" : Long.toString(bytes);
    }

    private long micros(WebVisit v, String status, boolean incident) {
        double us;
        if (status.startsWith("5")) {
            us = incident ? rand.logNormal(StrictMath.log(2_000_000), 1.0) : rand.logNormal(StrictMath.log(50_000), 0.8);
            return (long) Math.min(60_000_000, us);
        }
        if (status.equals("304") || status.startsWith("4") || status.equals("301")) {
            us = rand.logNormal(StrictMath.log(500), 0.6);
        } else if (v.path.endsWith("/") || v.path.endsWith(".html") || v.path.contains("?")) {
            us = rand.logNormal(StrictMath.log(12_000), 0.7);
        } else {
            us = rand.logNormal(StrictMath.log(900), 0.8) + site.size(v.path) / 20.0;
        }
        return (long) (incident ? us * 4 : us) + 50;
    }

    private boolean inIncident(long t) {
        while (t >= incidentEnd) {
            incidentStart = incidentEnd + (long) rand.exponential(MEAN_INCIDENT_GAP_MILLIS);
            incidentEnd = incidentStart + rand.between(60_000, 360_000);
        }
        return t >= incidentStart;
    }

    /** Relative traffic by time of day: about 0.4 at 03:00 UTC to 1.6 at 15:00 UTC. */
    private static double dailyCycle(long t) {
        double hours = Math.floorMod(t, 86_400_000L) / 3_600_000.0;
        return 1.0 + 0.6 * StrictMath.sin(2 * StrictMath.PI * (hours - 9) / 24);
    }

    private String publicIp() {
        int first;
        do {
            first = (int) rand.between(1, 223);
        } while (first == 10 || first == 127 || first == 172 || first == 192 || first == 100 || first == 169);
        return first + "." + rand.nextInt(256) + "." + rand.nextInt(256) + "." + (1 + rand.nextInt(254));
    }
}
