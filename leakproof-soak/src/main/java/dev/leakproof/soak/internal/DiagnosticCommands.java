package dev.leakproof.soak.internal;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The JVM's diagnostic commands ({@code jcmd}'s), run in this JVM through the
 * {@code com.sun.management:type=DiagnosticCommand} MBean, whose operations are the commands' names in camel case
 * ({@code VM.classes} is {@code vmClasses}).
 */
public final class DiagnosticCommands {
    private static final ObjectName MBEAN;

    static {
        try {
            MBEAN = new ObjectName("com.sun.management:type=DiagnosticCommand");
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private DiagnosticCommands() {
    }

    /**
     * @param operation the command's operation name, e.g. {@code gcClassHistogram}
     * @param arguments the command's arguments, e.g. {@code "summary", "scale=b"}
     * @return its output
     * @throws JMException when the MBean refuses or the command fails
     */
    public static String run(String operation, String... arguments) throws JMException {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(MBEAN, operation,
                new Object[] {arguments}, new String[] {String[].class.getName()});
    }
}
