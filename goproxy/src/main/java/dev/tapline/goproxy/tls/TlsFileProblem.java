package dev.tapline.goproxy.tls;

/** A TLS file setting that cannot be used: which variable, and what is wrong with its file. */
public final class TlsFileProblem extends Exception {
    private final String variable;

    TlsFileProblem(String variable, String problem) {
        super(problem, null, false, false);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
