package io.streampatterns.apps.generate;

import io.streampatterns.core.ConfigException;

import java.util.ArrayList;
import java.util.List;

/**
 * Merchant master data as a CDC stream: {@code merchant_id, op, change_ts, name, category, country, risk_score}.
 * First an {@code upsert} of every merchant of the {@link MerchantCatalog} at the start time (the snapshot),
 * then about 1% of the merchants change per simulated minute: mostly risk score drifts, some category changes
 * and renames, a few new merchants and rare deletes (a delete has null attributes). Changes are in commit order.
 */
final class MerchantsGenerator implements Generator {
    private final GeneratorOptions options;

    MerchantsGenerator(GeneratorOptions options) {
        this.options = options;
    }

    @Override
    public void write(Sink out, long n) {
        int count = options.merchants();
        ConfigException.check(n >= count, "merchants: --events " + n + " must be at least --merchants " + count
                + " (the initial snapshot has one event per merchant)");
        MerchantCatalog catalog = new MerchantCatalog(options.seed(), count);
        List<MerchantCatalog.Merchant> live = new ArrayList<>(count);
        JsonLine json = new JsonLine();
        long clock = options.startMillis();
        for (int i = 0; i < count; i++) {
            live.add(catalog.get(i));
            out.write(upsert(json, catalog.get(i), clock));
        }
        Rand rand = Rand.stream(options.seed(), 3);
        double meanGapMillis = 60_000 / (0.01 * count);
        int nextId = count;
        for (long written = count; written < n; written++) {
            clock += 1 + (long) rand.exponential(meanGapMillis);
            double u = rand.uniform();
            if (u < 0.003 && live.size() > 1) {
                out.write(delete(json, removeRandom(live, rand), clock));
            } else if (u < 0.013) {
                MerchantCatalog.Merchant m = MerchantCatalog.create(rand, nextId++);
                live.add(m);
                out.write(upsert(json, m, clock));
            } else {
                int i = rand.nextInt(live.size());
                MerchantCatalog.Merchant m = change(live.get(i), rand);
                live.set(i, m);
                out.write(upsert(json, m, clock));
            }
        }
    }

    private static MerchantCatalog.Merchant change(MerchantCatalog.Merchant m, Rand rand) {
        double u = rand.uniform();
        if (u < 0.85) {
            return m.drift(rand);
        }
        if (u < 0.93) {
            return m.withCategory(rand.weightedIndex(MerchantCatalog.CATEGORY_WEIGHTS));
        }
        return m.withName(MerchantCatalog.name(rand, m.category()));
    }

    private static MerchantCatalog.Merchant removeRandom(List<MerchantCatalog.Merchant> live, Rand rand) {
        int i = rand.nextInt(live.size());
        MerchantCatalog.Merchant m = live.get(i);
        live.set(i, live.get(live.size() - 1));
        live.remove(live.size() - 1);
        return m;
    }

    private static String upsert(JsonLine json, MerchantCatalog.Merchant m, long ts) {
        return json.begin()
                .str("merchant_id", m.merchantId())
                .str("op", "upsert")
                .ts("change_ts", ts)
                .str("name", m.name())
                .str("category", MerchantCatalog.CATEGORIES[m.category()])
                .str("country", MerchantCatalog.COUNTRIES[m.country()])
                .fixed("risk_score", m.risk(), 3)
                .end();
    }

    private static String delete(JsonLine json, MerchantCatalog.Merchant m, long ts) {
        return json.begin()
                .str("merchant_id", m.merchantId())
                .str("op", "delete")
                .ts("change_ts", ts)
                .str("name", null)
                .str("category", null)
                .str("country", null)
                .fixed("risk_score", Double.NaN, 3)
                .end();
    }
}
