package dev.leakproof.kv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of {@link Cluster#listAliases(String, String, int)}: live aliases in UTF-8 byte order, and where the
 * next page starts.
 * {@snippet :
 * AliasPage page = cluster.listAliases("user:", 100);
 * while (true) {
 *     page.aliases().forEach(System.out::println);
 *     if (page.next().isEmpty()) break;
 *     page = cluster.listAliases("user:", page.next().get(), 100);
 * }
 * }
 *
 * @param aliases the aliases of this page (unmodifiable; fewer than the limit only on the last page, where expired
 *                entries skipped can also make a page short or empty)
 * @param next    the {@code startAfter} of the next page, or empty when this page is the last
 */
public record AliasPage(List<String> aliases, Optional<String> next) {
    /** @throws NullPointerException if an argument is null */
    public AliasPage {
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(next, "next");
    }
}
