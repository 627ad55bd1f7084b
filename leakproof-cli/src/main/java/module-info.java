/** The {@code leakproof} command. Run it as {@code ./leakproof} from the repository root. */
module dev.leakproof.cli {
    requires dev.leakproof.soak;
    requires dev.leakproof.kv;
    requires info.picocli;

    exports dev.leakproof.cli;
    // picocli reads and sets the commands' annotated fields, and makes their converters
    opens dev.leakproof.cli.internal to info.picocli;
}
