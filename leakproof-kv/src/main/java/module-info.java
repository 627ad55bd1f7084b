/**
 * leakproof-kv: an async Java driver for an embedded RocksDB, called through its C API with
 * {@code java.lang.foreign}, or for a Redis Cluster through hiredis, with the 2015 addon's data model. Start at
 * {@link dev.leakproof.kv.Cluster}.
 */
module dev.leakproof.kv {
    requires transitive dev.leakproof.core;

    exports dev.leakproof.kv;
    // the fault switches of the replayed 2015 leaks: for the leakproof command only
    exports dev.leakproof.kv.internal to dev.leakproof.cli;
}
