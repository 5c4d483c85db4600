package io.streampatterns.apps.generate;

/**
 * One clickstream user: visits of a few to a few dozen events seconds apart (at most {@link #MAX_STEP_MILLIS}),
 * separated by idle gaps of at least {@link #MIN_IDLE_MILLIS}. A visit keeps one campaign (often none), which
 * may carry over to the next visit or change; about 30% of visits end with a logout.
 */
final class Visitor implements Comparable<Visitor> {
    static final long MAX_STEP_MILLIS = 170_000;
    static final long MIN_IDLE_MILLIS = 30 * 60_000;
    static final String[] CAMPAIGNS = {"spring_sale", "newsletter_may", "retargeting", "summer_preview", "affiliate_partner"};
    private static final String[] DEVICES = {"mobile", "desktop", "tablet"};
    private static final double[] DEVICE_WEIGHTS = {55, 38, 7};
    private static final String[] CATEGORIES = {"shoes", "shirts", "outdoor", "kitchen", "books", "toys", "garden"};
    private static final String[] SEARCHES = {"running+shoes", "tent", "coffee+grinder", "gift", "lego", "rain+jacket"};
    private static final int PRODUCTS = 2000;

    final String userId;
    final String device;
    /** The current event, set by {@link #step(Rand)}. */
    long time;
    String type;
    String page;
    String campaign;
    /** The purchase amount, {@code NaN} unless {@link #type} is {@code purchase}. */
    double amount;

    private final int index;
    private long nextTime;
    private int remaining;
    private boolean endsWithLogout;
    private boolean firstOfVisit;
    private String visitCampaign;
    private int product;
    private int cart;

    Visitor(int index, Rand rand) {
        this.index = index;
        this.userId = "u" + index;
        this.device = rand.weighted(DEVICES, DEVICE_WEIGHTS);
    }

    long nextTime() {
        return nextTime;
    }

    /** Earliest next event first; ties by user. */
    @Override
    public int compareTo(Visitor o) {
        int c = Long.compare(nextTime, o.nextTime);
        return c != 0 ? c : Integer.compare(index, o.index);
    }

    /** Starts a visit whose first event is at {@code at}. */
    void startVisit(Rand rand, long at) {
        nextTime = at;
        remaining = (int) Math.min(40, 1 + (long) rand.exponential(6.5));
        endsWithLogout = remaining > 1 && rand.chance(0.3);
        firstOfVisit = true;
        cart = 0;
        if (!rand.chance(0.35)) {
            visitCampaign = null;
        } else if (visitCampaign == null || !rand.chance(0.6)) {
            visitCampaign = rand.pick(CAMPAIGNS);
        }
    }

    /** Makes the next event current and schedules the one after (in this visit or the next). */
    void step(Rand rand) {
        time = nextTime;
        campaign = visitCampaign;
        amount = Double.NaN;
        if (firstOfVisit) {
            firstOfVisit = false;
            type = "page_view";
            page = campaign != null ? "/landing/" + campaign : browsePage(rand);
        } else if (remaining == 1 && endsWithLogout) {
            type = "logout";
            page = "/account/logout";
        } else if (cart > 0 && rand.chance(0.15)) {
            type = "purchase";
            page = "/checkout";
            amount = rand.logNormal(StrictMath.log(30) + 0.25 * cart, 0.6);
            cart = 0;
        } else {
            double r = rand.uniform();
            if (r < 0.5) {
                type = "page_view";
                page = browsePage(rand);
            } else if (r < 0.82) {
                type = "click";
                product = 1 + rand.skewed(PRODUCTS);
                page = "/products/" + product;
            } else {
                type = "add_to_cart";
                product = product == 0 ? 1 + rand.skewed(PRODUCTS) : product;
                page = "/products/" + product;
                cart++;
            }
        }
        if (--remaining > 0) {
            nextTime = time + Math.min(MAX_STEP_MILLIS, 1000 + (long) rand.exponential(14_000));
        } else {
            startVisit(rand, time + MIN_IDLE_MILLIS + (long) rand.exponential(150 * 60_000));
        }
    }

    private String browsePage(Rand rand) {
        double r = rand.uniform();
        if (r < 0.2) {
            return "/";
        }
        if (r < 0.4) {
            return "/category/" + rand.pick(CATEGORIES);
        }
        if (r < 0.5) {
            return "/search?q=" + rand.pick(SEARCHES);
        }
        if (r < 0.55) {
            return "/cart";
        }
        product = 1 + rand.skewed(PRODUCTS);
        return "/products/" + product;
    }
}
