/** The {@code leakproof} command. Run it as {@code ./leakproof} from the repository root. */
module dev.leakproof.cli {
    requires dev.leakproof.soak;
    requires dev.leakproof.kv;

    exports dev.leakproof.cli;
}
