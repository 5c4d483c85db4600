package io.streampatterns.apps.generate;

import java.util.PriorityQueue;

/**
 * Card payments: {@code tx_id, card_id, merchant_id, amount, currency, country, ts}, about ten per card per
 * simulated day, mostly at merchants of the card's home country, and in side stream {@code labels} one label
 * per transaction, {@code tx_id, is_fraud, label_ts}, written in {@code label_ts} order once the simulated
 * clock has passed the minute of its {@code label_ts}: hours to days after the payment for fraud (chargebacks), one to three days for the rest.
 * About 1% is fraud, mostly bursts on a compromised card (several payments minutes apart, high amounts, abroad,
 * risky categories); legitimate travel bursts (abroad, normal amounts) keep the signal imperfect. With a drift point
 * ({@link GeneratorOptions#withDriftAt}), fraud after it is domestic card testing: small amounts at home, at everyday
 * merchants, so that a model trained before it goes stale.
 */
final class TransactionsGenerator implements Generator {
    static final String LABELS = "labels";
    private static final double BURST_START = 0.0018;
    private static final double FRAUD_BURST_SHARE = 0.8;
    private static final int[] RISKY_CATEGORIES = {4, 6, 7, 8};

    private record Burst(long time, long seq, int card, boolean fraud, int country, int left)
            implements Comparable<Burst> {
        @Override
        public int compareTo(Burst o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private record Label(long time, long seq, String txId, boolean fraud) implements Comparable<Label> {
        @Override
        public int compareTo(Label o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final GeneratorOptions options;
    private final MerchantCatalog catalog;
    private final int[] homeCountry;
    private final double[] spendLevel;
    private final Rand rand;
    private final JsonLine json = new JsonLine();
    private final PriorityQueue<Burst> bursts = new PriorityQueue<>();
    private final DueByMinute<Label> labels;
    private long txCount;

    TransactionsGenerator(GeneratorOptions options) {
        this.options = options;
        this.catalog = new MerchantCatalog(options.seed(), options.merchants());
        this.rand = Rand.stream(options.seed(), 4);
        this.labels = new DueByMinute<>(options.startMillis());
        this.homeCountry = new int[options.cards()];
        this.spendLevel = new double[options.cards()];
        for (int c = 0; c < options.cards(); c++) {
            homeCountry[c] = MerchantCatalog.countryIndex(rand);
            spendLevel[c] = rand.logNormal(0, 0.4);
        }
    }

    @Override
    public void write(Sink out, long n) {
        Arrivals arrivals = new Arrivals(out, Rand.stream(options.seed(), 5));
        Sink labelSink = out.side(LABELS);
        double meanGapMillis = 86_400_000.0 / (options.cards() * 10.0);
        long nextNormal = options.startMillis() + (long) rand.exponential(meanGapMillis);
        while (arrivals.added() < n) {
            Burst burst = bursts.peek();
            long now = burst != null && burst.time() <= nextNormal ? burst.time() : nextNormal;
            arrivals.advanceTo(now);
            labels.releaseUntil(now, l -> labelSink.write(label(l)));
            if (now == nextNormal) {
                nextNormal += 1 + (long) rand.exponential(meanGapMillis);
                arrivals.add(now, normal(now));
                if (rand.chance(BURST_START)) {
                    startBurst(now + rand.between(60_000, 6 * 3_600_000));
                }
            } else {
                bursts.poll();
                arrivals.add(now, burst(burst));
                if (burst.left() > 1) {
                    bursts.add(new Burst(now + 5_000 + (long) rand.exponential(45_000), burst.seq(), burst.card(),
                            burst.fraud(), burst.country(), burst.left() - 1));
                }
            }
        }
        arrivals.drain();
        labels.releaseAll(l -> labelSink.write(label(l)));
    }

    private String normal(long ts) {
        int card = rand.nextInt(homeCountry.length);
        int[] home = catalog.inCountry(homeCountry[card]);
        int merchant = home.length > 0 && rand.chance(0.94) ? home[rand.skewed(home.length)] : rand.skewed(catalog.size());
        MerchantCatalog.Merchant m = catalog.get(merchant);
        double usd = spendLevel[card] * rand.logNormal(StrictMath.log(MerchantCatalog.MEDIAN_USD[m.category()]), 0.7);
        boolean foreign = m.country() != homeCountry[card];
        double score = drifted()
                ? -9.5 - 1.2 * StrictMath.log(usd / 50) + (foreign ? -1 : 0.5) + 1.5 * (1 - m.risk())
                : -8 + 1.1 * StrictMath.log(usd / 50) + (foreign ? 2.5 : 0) + 2 * m.risk();
        boolean fraud = rand.chance(1 / (1 + StrictMath.exp(-score)));
        return transaction(ts, card, m, usd, fraud);
    }

    private void startBurst(long at) {
        int card = rand.nextInt(homeCountry.length);
        boolean fraud = rand.chance(FRAUD_BURST_SHARE);
        int country = homeCountry[card];
        while (country == homeCountry[card] && !(fraud && drifted())) {
            country = MerchantCatalog.countryIndex(rand);
        }
        bursts.add(new Burst(at, txCount, card, fraud, country, (int) rand.between(3, 8)));
    }

    private String burst(Burst b) {
        int[] abroad = catalog.inCountry(b.country());
        MerchantCatalog.Merchant m;
        double usd;
        if (b.fraud() && drifted()) {
            // card testing at home: small amounts at everyday merchants of the card's own country
            m = catalog.get(abroad.length > 0 ? abroad[rand.skewed(abroad.length)] : rand.skewed(catalog.size()));
            usd = rand.logNormal(StrictMath.log(4), 0.6);
        } else if (b.fraud()) {
            m = fraudMerchant(abroad);
            usd = rand.logNormal(StrictMath.log(250), 0.9);
        } else {
            m = catalog.get(abroad.length > 0 ? abroad[rand.skewed(abroad.length)] : rand.skewed(catalog.size()));
            usd = spendLevel[b.card()] * rand.logNormal(StrictMath.log(MerchantCatalog.MEDIAN_USD[m.category()]), 0.7);
        }
        return transaction(b.time(), b.card(), m, usd, b.fraud());
    }

    /** Abroad in a risky category if possible (a few tries), otherwise any merchant abroad or anywhere. */
    private MerchantCatalog.Merchant fraudMerchant(int[] abroad) {
        MerchantCatalog.Merchant m = null;
        for (int attempt = 0; attempt < 8; attempt++) {
            m = catalog.get(abroad.length > 0 && rand.chance(0.75)
                    ? abroad[rand.nextInt(abroad.length)] : rand.nextInt(catalog.size()));
            int category = m.category();
            for (int risky : RISKY_CATEGORIES) {
                if (category == risky) {
                    return m;
                }
            }
        }
        return m;
    }

    /** Whether the fraud pattern has changed (see {@link GeneratorOptions#withDriftAt}). */
    private boolean drifted() {
        return options.driftAt() >= 0 && txCount >= options.driftAt();
    }

    private String transaction(long ts, int card, MerchantCatalog.Merchant m, double usd, boolean fraud) {
        String txId = Rand.hexId(options.seed(), 2, txCount);
        long delay = fraud ? 2 * 3_600_000 + (long) rand.exponential(36 * 3_600_000)
                : 24 * 3_600_000 + rand.between(0, 48 * 3_600_000);
        labels.add(ts + delay, new Label(ts + delay, txCount++, txId, fraud));
        return json.begin()
                .str("tx_id", txId)
                .str("card_id", "c" + card)
                .str("merchant_id", m.merchantId())
                .decimal2("amount", Math.max(0.01, usd * MerchantCatalog.PER_USD[m.country()]))
                .str("currency", MerchantCatalog.CURRENCIES[m.country()])
                .str("country", MerchantCatalog.COUNTRIES[m.country()])
                .ts("ts", ts)
                .end();
    }

    private String label(Label l) {
        return json.begin()
                .str("tx_id", l.txId())
                .bool("is_fraud", l.fraud())
                .ts("label_ts", l.time())
                .end();
    }
}
