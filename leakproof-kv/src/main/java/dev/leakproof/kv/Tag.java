package dev.leakproof.kv;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A tag: not an entry, a name you ask for the entries that carry it. */
public sealed interface Tag permits Entries.TagImpl {

    /** @return the tag's name */
    String name();

    /** @return aliases of the live entries carrying the tag, in UTF-8 byte order (empty for an unused tag) */
    List<String> getEntries();

    /** @return the aliases */
    CompletableFuture<List<String>> getEntriesAsync();
}
