package dev.leakproof.kv.internal;

import dev.leakproof.core.ResourceKind;
import dev.leakproof.core.Tracking;

/** The kinds of RocksDB object the driver tracks: one constant each, named as reports and JSON show them. */
final class NativeKinds {
    static final ResourceKind OPTIONS = Tracking.kind("rocksdb-options", "rocksdb_options_t of an open database");
    static final ResourceKind DB = Tracking.kind("rocksdb-db", "open rocksdb_transactiondb_t");
    static final ResourceKind TRANSACTION = Tracking.kind("rocksdb-transaction", "rocksdb_transaction_t");
    static final ResourceKind VALUE = Tracking.kind("rocksdb-value", "value returned by rocksdb_get, malloc'd by RocksDB");
    static final ResourceKind READ_OPTIONS = Tracking.kind("rocksdb-readoptions", "rocksdb_readoptions_t of a scan");
    static final ResourceKind ITERATOR = Tracking.kind("rocksdb-iterator", "rocksdb_iterator_t of a scan");

    private NativeKinds() {
    }
}
