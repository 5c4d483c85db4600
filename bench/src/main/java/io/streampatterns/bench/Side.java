package io.streampatterns.bench;

/** One of the programs a benchmark compares: ours, the plain-Spark baseline, or another reference. */
public interface Side {
    /** A short name: {@code ours}, {@code baseline}, {@code native}... */
    String name();

    /**
     * Runs the program once on the entry's input (repetition {@code rep}, from 0; each repetition in a fresh output
     * location) and measures it with {@link Measured#of}; the result's digest is computed after the measured part.
     */
    Measured run(int rep) throws Exception;

    /** A side from a name and a function of the repetition. */
    static Side of(String name, Run run) {
        return new Named(name, run);
    }

    /** What a side runs. */
    @FunctionalInterface
    interface Run {
        Measured run(int rep) throws Exception;
    }

    /** A side made of a name and a function. */
    final class Named implements Side {
        private final String name;
        private final Run run;

        Named(String name, Run run) {
            this.name = name;
            this.run = run;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Measured run(int rep) throws Exception {
            return run.run(rep);
        }
    }
}
