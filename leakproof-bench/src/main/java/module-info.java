/** JMH benchmarks of leakproof against its peers. Nothing depends on this module. */
module dev.leakproof.bench {
    requires dev.leakproof.core;
    requires dev.leakproof.kv;
    requires dev.leakproof.soak;
    requires jmh.core;
    requires jdk.management;
    requires io.netty.common;
    requires rocksdbjni;
    requires lettuce.core;
    requires redis.clients.jedis;

    opens dev.leakproof.bench;
    opens dev.leakproof.bench.jmh_generated;
}
