package dev.leakproof.kv;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the warnings a logger publishes while open (System.Logger goes to java.util.logging here). */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        logger.addHandler(this);
    }

    /** @param name the logger's name @return a capture of its warnings; close it */
    static LogCapture warnings(String name) {
        return new LogCapture(name);
    }

    /** @param fragment text to look for @return the warnings that contain it */
    List<String> containing(String fragment) {
        return warnings.stream().filter(w -> w.contains(fragment)).toList();
    }

    @Override
    public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue() && r.getMessage() != null) {
            warnings.add(r.getMessage());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
