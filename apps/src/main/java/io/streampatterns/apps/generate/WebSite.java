package io.streampatterns.apps.generate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated web site behind the Apache logs: pages, static assets, downloads, feeds and the paths scanners
 * probe, each with a stable response size; plus the user agents of browsers, crawlers, feed readers and scanners.
 */
final class WebSite {
    static final String HOST = "http://www.example.com";
    static final String[] BROWSER_AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0"};
    static final String[] CRAWLER_AGENTS = {
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
            "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
            "Mozilla/5.0 (compatible; archive.org_bot +http://www.archive.org/details/archive.org_bot)",
            "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"};
    static final String[] FEED_AGENTS = {
            "UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/",
            "Tiny Tiny RSS/23.04 (https://tt-rss.org/)",
            "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers)"};
    static final String[] SCANNER_AGENTS = {"-", "python-requests/2.31.0", "curl/8.5.0", "Go-http-client/1.1",
            "Mozilla/5.0 zgrab/0.x"};
    static final String[] REFERRERS = {"https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/",
            "https://news.ycombinator.com/", "https://www.reddit.com/r/programming/", "https://t.co/x4Kd9PqL2a"};

    private static final String[] WORDS = {"logstash", "puppet", "xdotool", "ssh", "firefox", "ruby", "linux",
            "latency", "dns", "vim", "tmux", "grok", "keynav", "monitoring", "tls", "docker"};
    private static final String[] COMMON_ASSETS = {"/style2.css", "/reset.css", "/favicon.ico",
            "/images/jordan-80.png", "/images/web/2009/banner.png"};
    static final String[] PROBES = {"/wp-login.php", "/phpmyadmin/index.php", "/.env", "/admin.php",
            "/cgi-bin/test.cgi", "/xmlrpc.php", "/.git/config", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"};
    static final String ROBOTS = "/robots.txt";

    private final List<String> pages = new ArrayList<>();
    private final List<String> assets = new ArrayList<>(List.of(COMMON_ASSETS));
    private final List<String> downloads = new ArrayList<>();
    private final List<String> feeds = new ArrayList<>();
    private final Map<String, Long> sizes = new HashMap<>();
    private final Rand rand;

    WebSite(long seed) {
        rand = Rand.stream(seed, 200);
        pages.add("/");
        for (String w : WORDS) {
            pages.add("/blog/tags/" + w);
            feeds.add("/blog/tags/" + w + "?flav=rss20");
            pages.add("/projects/" + w + "/");
            pages.add("/presentations/" + w + "-" + (2012 + rand.nextInt(12)) + "/");
            assets.add("/presentations/" + w + "/images/" + rand.pick(WORDS) + ".png");
            downloads.add("/files/" + w + "/" + w + "-1." + rand.nextInt(10) + ".tar.gz");
            for (int i = 0; i < 3; i++) {
                pages.add("/blog/geekery/" + w + "-" + rand.pick(WORDS) + "-" + rand.pick(WORDS) + ".html");
            }
        }
    }

    /** A page, popular ones more often. */
    String page(Rand r) {
        return pages.get(r.skewed(pages.size()));
    }

    String asset(Rand r) {
        return assets.get(r.skewed(assets.size()));
    }

    String download(Rand r) {
        return downloads.get(r.skewed(downloads.size()));
    }

    String feed(Rand r) {
        return feeds.get(r.nextInt(feeds.size()));
    }

    static boolean isDownload(String path) {
        return path.startsWith("/files/");
    }

    /** The full response size of {@code path}, the same every time it is served. */
    long size(String path) {
        return sizes.computeIfAbsent(path, p -> {
            if (p.equals(ROBOTS)) {
                return 0L;
            }
            if (isDownload(p)) {
                return rand.between(200_000, 30_000_000);
            }
            if (p.endsWith(".css")) {
                return rand.between(1_000, 12_000);
            }
            if (p.endsWith(".png") || p.endsWith(".ico")) {
                return rand.between(2_000, 250_000);
            }
            return rand.between(6_000, 45_000);
        });
    }
}
