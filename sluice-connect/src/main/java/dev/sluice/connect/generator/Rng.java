package dev.sluice.connect.generator;

/**
 * A small, fast, reseedable random source (SplitMix64): reseeding per event and field is what makes generated events
 * reproducible, and reusing one instance keeps the generator from allocating. Not thread-safe.
 */
final class Rng {
    private long state;

    Rng reset(long seed) {
        this.state = seed;
        return this;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound). */
    long nextLong(long bound) {
        return Math.floorMod(nextLong(), bound);
    }

    int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
