package io.streampatterns.apps.generate;

/**
 * The merchants that exist at the start time. The merchants CDC stream snapshots them and the transactions pay
 * them, so both data sets agree when generated with the same {@code --seed} and {@code --merchants}.
 */
final class MerchantCatalog {
    static final String[] COUNTRIES = {"US", "GB", "DE", "FR", "ES", "IT", "NL", "CA", "JP", "BR", "IN", "AU"};
    static final double[] COUNTRY_WEIGHTS = {40, 10, 10, 8, 5, 5, 4, 6, 4, 4, 2, 2};
    static final String[] CURRENCIES = {"USD", "GBP", "EUR", "EUR", "EUR", "EUR", "EUR", "CAD", "JPY", "BRL", "INR", "AUD"};
    /** Units of each country's currency per US dollar. */
    static final double[] PER_USD = {1, 0.79, 0.92, 0.92, 0.92, 0.92, 0.92, 1.36, 155, 5.1, 83, 1.5};

    static final String[] CATEGORIES = {"grocery", "restaurant", "fuel", "fashion", "electronics", "travel",
            "online_services", "gaming", "jewelry", "pharmacy"};
    static final double[] CATEGORY_WEIGHTS = {20, 18, 10, 12, 8, 6, 10, 6, 3, 7};
    static final double[] MEDIAN_USD = {35, 28, 45, 60, 180, 320, 15, 25, 450, 20};
    private static final double[] BASE_RISK = {0.05, 0.05, 0.08, 0.12, 0.25, 0.2, 0.2, 0.35, 0.4, 0.05};
    private static final String[] SUFFIXES = {"Market", "Kitchen", "Fuel", "Boutique", "Electronics", "Travel",
            "Online", "Games", "Jewelers", "Pharmacy"};
    private static final String[] ADJECTIVES = {"Blue", "Golden", "Urban", "Northern", "Happy", "Silver", "Green",
            "Royal", "Sunny", "Prime", "Little", "Grand", "Bright", "Old Town"};
    private static final String[] NOUNS = {"Harbor", "Oak", "Falcon", "River", "Maple", "Summit", "Lantern",
            "Anchor", "Meadow", "Pioneer", "Cedar", "Fox", "Bridge", "Orchard"};

    /** One merchant's attributes; {@code country} and {@code category} index the arrays above. */
    record Merchant(int id, String name, int category, int country, double risk) {
        String merchantId() {
            return "m" + id;
        }

        /** The risk score after a random drift of about 15%. */
        Merchant drift(Rand rand) {
            return new Merchant(id, name, category, country, clamp(risk * rand.logNormal(0, 0.15)));
        }

        Merchant withCategory(int newCategory) {
            return new Merchant(id, name, newCategory, country, risk);
        }

        Merchant withName(String newName) {
            return new Merchant(id, newName, category, country, risk);
        }
    }

    private final Merchant[] merchants;
    private final int[][] byCountry;

    MerchantCatalog(long seed, int count) {
        Rand rand = Rand.stream(seed, 100);
        merchants = new Merchant[count];
        int[] perCountry = new int[COUNTRIES.length];
        for (int i = 0; i < count; i++) {
            merchants[i] = create(rand, i);
            perCountry[merchants[i].country()]++;
        }
        byCountry = new int[COUNTRIES.length][];
        for (int c = 0; c < COUNTRIES.length; c++) {
            byCountry[c] = new int[perCountry[c]];
            perCountry[c] = 0;
        }
        for (Merchant m : merchants) {
            byCountry[m.country()][perCountry[m.country()]++] = m.id();
        }
    }

    /** A new merchant with random attributes. */
    static Merchant create(Rand rand, int id) {
        int category = rand.weightedIndex(CATEGORY_WEIGHTS);
        int country = rand.weightedIndex(COUNTRY_WEIGHTS);
        double risk = clamp(BASE_RISK[category] * rand.logNormal(0, 0.6));
        return new Merchant(id, name(rand, category), category, country, risk);
    }

    static String name(Rand rand, int category) {
        return rand.pick(ADJECTIVES) + " " + rand.pick(NOUNS) + " " + SUFFIXES[category];
    }

    int size() {
        return merchants.length;
    }

    Merchant get(int id) {
        return merchants[id];
    }

    /** Ids of the merchants in {@code country} (possibly none). */
    int[] inCountry(int country) {
        return byCountry[country];
    }

    static int countryIndex(Rand rand) {
        return rand.weightedIndex(COUNTRY_WEIGHTS);
    }

    private static double clamp(double risk) {
        return Math.max(0.001, Math.min(1.0, risk));
    }
}
