package dev.leakproof.kv.internal;

import dev.leakproof.core.ResourceKind;
import dev.leakproof.core.Tracking;

/** The kinds of RocksDB object the driver tracks: one constant each, named as reports and JSON show them. */
final class NativeKinds {
    static final ResourceKind OPTIONS = Tracking.kind("rocksdb-options", "rocksdb_options_t of an open database");
    static final ResourceKind TXNDB_OPTIONS =
            Tracking.kind("rocksdb-txndb-options", "rocksdb_transactiondb_options_t of an open database");
    static final ResourceKind WRITE_OPTIONS = Tracking.kind("rocksdb-writeoptions", "rocksdb_writeoptions_t of a store");
    static final ResourceKind TXN_OPTIONS =
            Tracking.kind("rocksdb-transaction-options", "rocksdb_transaction_options_t of a store");
    static final ResourceKind FLUSH_OPTIONS = Tracking.kind("rocksdb-flushoptions", "rocksdb_flushoptions_t of a flush");
    static final ResourceKind CHECKPOINT = Tracking.kind("rocksdb-checkpoint", "rocksdb_checkpoint_t of a checkpoint");
    static final ResourceKind DB = Tracking.kind("rocksdb-db", "open rocksdb_transactiondb_t");
    static final ResourceKind BASE_DB =
            Tracking.kind("rocksdb-base-db", "rocksdb_t handle on the base database of an open transaction database");
    static final ResourceKind TRANSACTION = Tracking.kind("rocksdb-transaction", "rocksdb_transaction_t");
    static final ResourceKind VALUE = Tracking.kind("rocksdb-value", "value returned by rocksdb_get, malloc'd by RocksDB");
    static final ResourceKind READ_OPTIONS = Tracking.kind("rocksdb-readoptions", "rocksdb_readoptions_t of a scan or of a store");
    static final ResourceKind ITERATOR = Tracking.kind("rocksdb-iterator", "rocksdb_iterator_t of a scan");

    private NativeKinds() {
    }
}
