# Sourced (POSIX sh) by ./mvnw and ./leakproof: points JAVA_HOME at a JDK 25 or newer.
# Order: JAVA_HOME if it is 25+, then the usual install places, newest first.
# Fails with a message naming what was looked at when nothing fits.
leakproof_jdk_major() {
  # prints the feature version of the JDK in $1, or nothing
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
  fi
}
leakproof_find_jdk() {
  need=25
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(leakproof_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$need" ]; then return 0; fi
  fi
  best=""; bestv=0
  # the caller may run with globbing off (mvnw uses set -f)
  case $- in *f*) leakproof_glob_off=1; set +f ;; *) leakproof_glob_off=0 ;; esac
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/jdk* \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.m2/jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$d/bin/javac" ] || continue
    v=$(leakproof_jdk_major "$d")
    [ -n "$v" ] || continue
    if [ "$v" -ge "$need" ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  [ "$leakproof_glob_off" = 1 ] && set -f
  if [ -z "$best" ]; then
    echo "leakproof needs a JDK $need or newer (it uses java.lang.foreign as final in 22+ and builds with --release $need)." >&2
    echo "JAVA_HOME is '${JAVA_HOME:-unset}'; no JDK $need+ found under /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman, ~/.jdks." >&2
    echo "Install one (for example Temurin $need) or set JAVA_HOME to it." >&2
    return 1
  fi
  JAVA_HOME=$best
  export JAVA_HOME
}
