package dev.leakproof.kv.internal.redis;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.leakproof.kv.NativeException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The downcalls into hiredis 0.14's synchronous API, loaded from the system's {@code libhiredis.so.0.14}.
 *
 * <p>Design note. Only the soname 0.14 is bound: hiredis 1.x inserts {@code double dval} and
 * {@code char vtype[4]} into {@code redisReply}, so the offsets this class reads would be wrong there. When
 * 0.14 is missing the error names what the system has instead and how to install 0.14, rather than guess at
 * a layout. {@code redisReply} in 0.14 (x86_64, 48 bytes): {@code int type} at 0, {@code long long integer}
 * at 8, {@code size_t len} at 16, {@code char *str} at 24, {@code size_t elements} at 32,
 * {@code redisReply **element} at 40. {@code redisContext} starts with {@code int err} and
 * {@code char errstr[128]}.
 */
@SuppressWarnings("restricted") // binding a C library
final class Hiredis {
    /** The one soname bound. */
    static final String SONAME = "libhiredis.so.0.14";

    static final int REPLY_STRING = 1;
    static final int REPLY_ARRAY = 2;
    static final int REPLY_INTEGER = 3;
    static final int REPLY_NIL = 4;
    static final int REPLY_STATUS = 5;
    static final int REPLY_ERROR = 6;

    static final long OFF_TYPE = 0;
    static final long OFF_INTEGER = 8;
    static final long OFF_LEN = 16;
    static final long OFF_STR = 24;
    static final long OFF_ELEMENTS = 32;
    static final long OFF_ELEMENT = 40;
    static final long REPLY_SIZE = 48;
    static final long CONTEXT_ERR = 0;
    static final long CONTEXT_ERRSTR = 4;
    static final int ERRSTR_SIZE = 128;
    /** {@code int fd} of {@code redisContext} in 0.14 (x86_64). */
    static final long CONTEXT_FD = 132;
    /** {@code redisReader *reader} of {@code redisContext} in 0.14 (x86_64). */
    static final long CONTEXT_READER = 152;
    /** How much of {@code redisContext} the driver reads. */
    static final long CONTEXT_READ_SIZE = CONTEXT_READER + 8;
    /** Linux's {@code MSG_DONTWAIT}: a {@code recv} that returns at once when nothing has arrived. */
    static final int MSG_DONTWAIT = 0x40;

    static final StructLayout TIMEVAL = MemoryLayout.structLayout(JAVA_LONG.withName("tv_sec"),
            JAVA_LONG.withName("tv_usec"));

    static final MethodHandle CONNECT_WITH_TIMEOUT;
    static final MethodHandle SET_TIMEOUT;
    static final MethodHandle COMMAND_ARGV;
    static final MethodHandle APPEND_COMMAND_ARGV;
    static final MethodHandle GET_REPLY;
    static final MethodHandle BUFFER_WRITE;
    static final MethodHandle READER_FEED;
    static final MethodHandle GET_REPLY_FROM_READER;
    /** libc's {@code recv}, critical: with {@link #MSG_DONTWAIT} it never blocks. */
    static final MethodHandle RECV;
    static final MethodHandle FREE_REPLY_OBJECT;
    static final MethodHandle FREE;
    private static final NativeException UNAVAILABLE;

    static {
        SymbolLookup lookup = null;
        NativeException unavailable = null;
        try {
            lookup = SymbolLookup.libraryLookup(SONAME, Arena.global());
        } catch (IllegalArgumentException e) {
            unavailable = new NativeException(missingMessage(), e);
        }
        UNAVAILABLE = unavailable;
        if (lookup == null) {
            CONNECT_WITH_TIMEOUT = SET_TIMEOUT = COMMAND_ARGV = APPEND_COMMAND_ARGV = GET_REPLY = FREE_REPLY_OBJECT
                    = FREE = BUFFER_WRITE = READER_FEED = GET_REPLY_FROM_READER = RECV = null;
        } else {
            Linker linker = Linker.nativeLinker();
            CONNECT_WITH_TIMEOUT = handle(linker, lookup, "redisConnectWithTimeout",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, TIMEVAL));
            SET_TIMEOUT = handle(linker, lookup, "redisSetTimeout", FunctionDescriptor.of(JAVA_INT, ADDRESS, TIMEVAL));
            COMMAND_ARGV = handle(linker, lookup, "redisCommandArgv",
                    FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
            APPEND_COMMAND_ARGV = handle(linker, lookup, "redisAppendCommandArgv",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
            GET_REPLY = handle(linker, lookup, "redisGetReply", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            FREE_REPLY_OBJECT = handle(linker, lookup, "freeReplyObject", FunctionDescriptor.ofVoid(ADDRESS));
            FREE = handle(linker, lookup, "redisFree", FunctionDescriptor.ofVoid(ADDRESS));
            BUFFER_WRITE = handle(linker, lookup, "redisBufferWrite", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            READER_FEED = handle(linker, lookup, "redisReaderFeed",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
            GET_REPLY_FROM_READER = handle(linker, lookup, "redisGetReplyFromReader",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            RECV = linker.downcallHandle(linker.defaultLookup().find("recv").orElseThrow(),
                    FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
                    Linker.Option.critical(false));
        }
    }

    private Hiredis() {
    }

    private static MethodHandle handle(Linker linker, SymbolLookup lookup, String name, FunctionDescriptor fd) {
        MemorySegment symbol = lookup.find(name).orElseThrow(() -> new NativeException(SONAME + " has no symbol "
                + name + ": it is not hiredis 0.14"));
        return linker.downcallHandle(symbol, fd);
    }

    /** @throws NativeException if hiredis 0.14 could not be loaded, naming what was found instead */
    static void check() {
        if (UNAVAILABLE != null) {
            throw new NativeException(UNAVAILABLE.getMessage(), UNAVAILABLE);
        }
    }

    private static String missingMessage() {
        List<String> found = new ArrayList<>();
        for (String dir : List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib",
                "/usr/local/lib", "/lib/x86_64-linux-gnu")) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("libhiredis.so.")).sorted()
                        .forEach(n -> found.add(dir + "/" + n));
            } catch (IOException e) {
                // an unreadable directory just adds nothing to the hint
            }
        }
        String seen = found.isEmpty() ? "no libhiredis.so.* at all"
                : "only " + String.join(", ", found) + ", whose redisReply layout (hiredis 1.x adds dval and vtype) "
                + "this driver does not bind";
        return "the Redis Cluster backend needs hiredis 0.14 (" + SONAME + "); this system has " + seen
                + ": install it with 'apt-get install libhiredis0.14' (Debian 12) or run "
                + "'scripts/redis-cluster.sh install'";
    }
}
