package dev.leakproof.soak.internal.culprits;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key counts and bytes at each observation (a class, a thread-name pattern, a descriptor kind), and the
 * trend of each key.
 *
 * <p>Design note. The collector observes the heap it lives in, so whatever it keeps per observation would
 * itself grow with the observations and show up as a culprit (a {@code long[]} per histogram is a perfectly
 * monotone series). The table is therefore one pair of arrays sized at the start for {@link #COLUMNS}
 * observations and the keys seen by then, with room to spare; an observation writes into it and keeps nothing
 * new, except a key (its name and map entry) the first time it is seen; the keys of the baseline are added
 * before the first observation ({@link #prime(String)}). Outgrowing it copies the arrays once: a step, not a trend.
 */
final class Series {
    /** Observations the table holds before it is copied; the soak engine makes 4 to 6. */
    static final int COLUMNS = 16;

    private final Map<String, Integer> rows;
    private String[] keys;
    private long[] counts;
    private long[] bytes;
    private long[] iterations = new long[COLUMNS];
    private int columns = COLUMNS;
    private int rowCount;
    private int observations;

    /** @param expectedKeys keys expected (the baseline's); room is made for twice as many */
    Series(int expectedKeys) {
        int capacity = Math.max(64, 2 * expectedKeys);
        rows = HashMap.newHashMap(capacity);
        keys = new String[capacity];
        counts = new long[capacity * columns];
        bytes = new long[capacity * columns];
    }

    /** Opens the next observation, taken at {@code iteration}. */
    void next(long iteration) {
        if (observations == columns) {
            int wider = columns * 2;
            counts = widen(counts, wider);
            bytes = widen(bytes, wider);
            iterations = Arrays.copyOf(iterations, wider);
            columns = wider;
        }
        iterations[observations++] = iteration;
    }

    /**
     * Makes room for a key before the first observation, so that what the first observation sees is kept from
     * then on: a key added at the first observation would be a step the collector itself makes in the heap.
     */
    void prime(String key) {
        if (!rows.containsKey(key)) {
            newRow(key);
        }
    }

    /** Adds to a key's count and bytes in the current observation. */
    void add(String key, long count, long size) {
        Integer row = rows.get(key);
        if (row == null) {
            row = newRow(key);
        }
        int cell = row * columns + observations - 1;
        counts[cell] += count;
        bytes[cell] += size;
    }

    /** @return observations taken */
    int observations() {
        return observations;
    }

    /** @return keys seen */
    int keys() {
        return rowCount;
    }

    /** @return the key of a row */
    String key(int row) {
        return keys[row];
    }

    /** @return a row's count at an observation */
    long count(int row, int observation) {
        return counts[row * columns + observation];
    }

    /** @return a row's bytes at an observation */
    long bytes(int row, int observation) {
        return bytes[row * columns + observation];
    }

    /** @return the trend of a row's count */
    Trend countTrend(int row) {
        return trend(counts, row);
    }

    /** @return the trend of a row's bytes */
    Trend bytesTrend(int row) {
        return trend(bytes, row);
    }

    private Trend trend(long[] table, int row) {
        double[] x = new double[observations];
        double[] y = new double[observations];
        for (int i = 0; i < observations; i++) {
            x[i] = iterations[i];
            y[i] = table[row * columns + i];
        }
        return Trend.of(x, y);
    }

    private int newRow(String key) {
        if (rowCount == keys.length) {
            int capacity = keys.length * 2;
            keys = Arrays.copyOf(keys, capacity);
            counts = Arrays.copyOf(counts, capacity * columns);
            bytes = Arrays.copyOf(bytes, capacity * columns);
        }
        keys[rowCount] = key;
        rows.put(key, rowCount);
        return rowCount++;
    }

    private long[] widen(long[] table, int wider) {
        long[] out = new long[keys.length * wider];
        for (int r = 0; r < rowCount; r++) {
            System.arraycopy(table, r * columns, out, r * wider, observations);
        }
        return out;
    }
}
