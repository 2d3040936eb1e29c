package dev.tapline.goproxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.common.config.ConfigProblem;
import dev.tapline.goproxy.support.TestCerts;

/**
 * The start-time check of the TLS_IN_* settings, one case each, on real files: made by BouncyCastle
 * ({@link TestCerts}) and by the openssl command line, as operators make them. Each bad file gives exactly one
 * problem, naming the variable to fix and what is wrong with its file.
 */
class TlsEnvTest {
    @TempDir
    Path dir;
    private TestCerts ca;

    @BeforeEach
    void ca() throws Exception {
        ca = TestCerts.ca(dir, "env");
    }

    private static Map<String, String> unwrapping(Path cert, Path key) {
        Map<String, String> env = GoproxyEnvTest.valid();
        env.put("TLS_IN_UNWRAP", "true");
        if (cert != null) {
            env.put("TLS_IN_PUBLIC_KEY", cert.toString());
        }
        if (key != null) {
            env.put("TLS_IN_PRIVATE_KEY", key.toString());
        }
        return env;
    }

    /** The one problem the settings have. */
    private static ConfigProblem onlyProblem(Map<String, String> env) {
        List<ConfigProblem> problems = GoproxyEnv.check(env);
        assertThat(problems).hasSize(1);
        return problems.get(0);
    }

    private TestCerts.Leaf leaf() throws Exception {
        return ca.leaf("shop.test");
    }

    @Test
    void aValidChainWithItsPkcs8KeyIsAccepted() throws Exception {
        TestCerts.Leaf leaf = leaf();
        assertThat(GoproxyEnv.check(unwrapping(leaf.writeChain("c"), leaf.writePkcs8("k")))).isEmpty();
    }

    @Test
    void aPkcs1RsaKeyIsAccepted() throws Exception {
        TestCerts.Leaf rsa = ca.leaf("shop.test", true, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)));
        Path rsaKey = rsa.writeTraditional("rsa");
        assertThat(Files.readString(rsaKey)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(GoproxyEnv.check(unwrapping(rsa.writeChain("rsa"), rsaKey))).isEmpty();
        // SEC1 EC keys: see the openssl case below (BouncyCastle writes a JDK EC key's SEC1 form without its curve)
    }

    @Test
    void keysMadeByTheOpensslCommandLineAreAcceptedInAllThreeForms() throws Exception {
        // what an operator runs: a self-signed certificate, its key as openssl writes it by default (PKCS#8),
        // then the same keys converted to the traditional forms
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=shop.test", "-days", "2",
                "-keyout", "rsa-pkcs8.key", "-out", "rsa.pem");
        openssl("rsa", "-in", "rsa-pkcs8.key", "-traditional", "-out", "rsa-pkcs1.key");
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.key");
        openssl("req", "-x509", "-key", "ec-sec1.key", "-subj", "/CN=shop.test", "-days", "2", "-out", "ec.pem");
        assertThat(Files.readString(dir.resolve("rsa-pkcs8.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("rsa-pkcs1.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("ec-sec1.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(GoproxyEnv.check(unwrapping(dir.resolve("rsa.pem"), dir.resolve("rsa-pkcs8.key")))).isEmpty();
        assertThat(GoproxyEnv.check(unwrapping(dir.resolve("rsa.pem"), dir.resolve("rsa-pkcs1.key")))).isEmpty();
        assertThat(GoproxyEnv.check(unwrapping(dir.resolve("ec.pem"), dir.resolve("ec-sec1.key")))).isEmpty();
        // and a key that is not this certificate's
        ConfigProblem p = onlyProblem(unwrapping(dir.resolve("rsa.pem"), dir.resolve("ec-sec1.key")));
        assertThat(p.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
        assertThat(p.allowed()).contains("the key does not match the certificate in TLS_IN_PUBLIC_KEY");
    }

    @Test
    void unwrapWithoutTheFilesNamesBothVariables() {
        List<ConfigProblem> problems = GoproxyEnv.check(unwrapping(null, null));
        assertThat(problems).extracting(ConfigProblem::variable)
                .containsExactlyInAnyOrder("TLS_IN_PUBLIC_KEY", "TLS_IN_PRIVATE_KEY");
        assertThat(problems).allSatisfy(p -> assertThat(p.value()).isNull());
        assertThat(problems).allSatisfy(p -> assertThat(p.describe()).contains("with TLS_IN_UNWRAP=true"));
    }

    @Test
    void withoutUnwrapTheFilesAreNotLookedAt() {
        Map<String, String> env = unwrapping(dir.resolve("nowhere.pem"), dir.resolve("nowhere.key"));
        env.put("TLS_IN_UNWRAP", "false");
        assertThat(GoproxyEnv.check(env)).isEmpty();
    }

    @Test
    void aMissingCertificateFileIsNamed() throws Exception {
        Path missing = dir.resolve("nowhere.pem");
        ConfigProblem p = onlyProblem(unwrapping(missing, leaf().writePkcs8("k")));
        assertThat(p.variable()).isEqualTo("TLS_IN_PUBLIC_KEY");
        assertThat(p.value()).isEqualTo(missing.toString());
        assertThat(p.allowed()).contains("no such file: " + missing);
    }

    @Test
    void aMissingKeyFileIsNamed() throws Exception {
        Path missing = dir.resolve("nowhere.key");
        ConfigProblem p = onlyProblem(unwrapping(leaf().writeChain("c"), missing));
        assertThat(p.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
        assertThat(p.allowed()).contains("no such file: " + missing);
    }

    @Test
    void anUnreadableFileIsNamed() throws Exception {
        // a folder where the file should be: unreadable as a file for every user, root included (tests run as root
        // in CI, where file modes do not stop reading)
        Path folder = Files.createDirectory(dir.resolve("secret-mounted-as-folder"));
        ConfigProblem p = onlyProblem(unwrapping(folder, leaf().writePkcs8("k")));
        assertThat(p.variable()).isEqualTo("TLS_IN_PUBLIC_KEY");
        assertThat(p.allowed()).contains("cannot read " + folder);
        ConfigProblem k = onlyProblem(unwrapping(leaf().writeChain("c"), folder));
        assertThat(k.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
        assertThat(k.allowed()).contains("cannot read " + folder);
    }

    @Test
    void aCertificateFileThatIsNotPemIsNamed() throws Exception {
        TestCerts.Leaf leaf = leaf();
        Path key = leaf.writePkcs8("k");
        Path text = Files.writeString(dir.resolve("notes.pem"), "just some notes\n");
        ConfigProblem p = onlyProblem(unwrapping(text, key));
        assertThat(p.variable()).isEqualTo("TLS_IN_PUBLIC_KEY");
        assertThat(p.allowed()).containsAnyOf("no PEM certificate in " + text, "not a PEM certificate file: " + text);
        // a PEM block cut short (a half-copied secret)
        String pem = Files.readString(leaf.writeChain("c"));
        Path truncated = Files.writeString(dir.resolve("truncated.pem"), pem.substring(0, pem.length() / 3));
        ConfigProblem t = onlyProblem(unwrapping(truncated, key));
        assertThat(t.variable()).isEqualTo("TLS_IN_PUBLIC_KEY");
        assertThat(t.allowed()).contains("not a PEM certificate file: " + truncated);
        // the key given where the certificate should be
        ConfigProblem swapped = GoproxyEnv.check(unwrapping(key, leaf.writeChain("c"))).get(0);
        assertThat(swapped.variable()).isEqualTo("TLS_IN_PUBLIC_KEY");
    }

    @Test
    void aKeyFileThatIsNotAPrivateKeyIsNamed() throws Exception {
        TestCerts.Leaf leaf = leaf();
        Path chain = leaf.writeChain("c");
        ConfigProblem cert = onlyProblem(unwrapping(chain, chain)); // the certificate given as the key
        assertThat(cert.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
        assertThat(cert.allowed()).contains("no unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1) in " + chain);
        Path garbled = Files.writeString(dir.resolve("garbled.key"),
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        ConfigProblem g = onlyProblem(unwrapping(chain, garbled));
        assertThat(g.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
        assertThat(g.allowed()).contains("not a PEM private key file: " + garbled);
    }

    @Test
    void anEncryptedKeyIsRefusedAsNotUsable() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-128-cbc", "-pass",
                "pass:secret", "-out", "encrypted.key");
        assertThat(Files.readString(dir.resolve("encrypted.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        ConfigProblem p = onlyProblem(unwrapping(leaf().writeChain("c"), dir.resolve("encrypted.key")));
        assertThat(p.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
        assertThat(p.allowed()).contains("no unencrypted PEM private key");
    }

    @Test
    void aCertificateExpiredAtStartIsNamedWithItsDate() throws Exception {
        Instant end = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestCerts.Leaf expired = ca.leaf("shop.test", false, end.minus(Duration.ofDays(30)), end);
        ConfigProblem p = onlyProblem(unwrapping(expired.writeChain("c"), expired.writePkcs8("k")));
        assertThat(p.variable()).isEqualTo("TLS_IN_PUBLIC_KEY");
        assertThat(p.allowed()).contains("its certificate expired on " + end);
    }

    @Test
    void aCertificateNotValidYetIsNamedWithItsDate() throws Exception {
        Instant start = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestCerts.Leaf early = ca.leaf("shop.test", false, start, start.plus(Duration.ofDays(30)));
        ConfigProblem p = onlyProblem(unwrapping(early.writeChain("c"), early.writePkcs8("k")));
        assertThat(p.variable()).isEqualTo("TLS_IN_PUBLIC_KEY");
        assertThat(p.allowed()).contains("its certificate is not valid before " + start);
    }

    @Test
    void aKeyOfAnotherCertificateIsNamed() throws Exception {
        TestCerts.Leaf mine = leaf();
        TestCerts.Leaf other = leaf();
        ConfigProblem p = onlyProblem(unwrapping(mine.writeChain("c"), other.writePkcs8("other")));
        assertThat(p.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
        assertThat(p.allowed()).contains("the key does not match the certificate in TLS_IN_PUBLIC_KEY");
        // an RSA key for an EC certificate: another algorithm altogether
        TestCerts.Leaf rsa = ca.leaf("shop.test", true, Instant.now().minus(Duration.ofHours(1)),
                Instant.now().plus(Duration.ofDays(1)));
        ConfigProblem a = onlyProblem(unwrapping(mine.writeChain("c"), rsa.writeTraditional("rsa")));
        assertThat(a.variable()).isEqualTo("TLS_IN_PRIVATE_KEY");
    }

    @Test
    void aBadAppCaBundleAndAZeroHandshakeTimeoutAreNamed() throws Exception {
        TestCerts.Leaf leaf = leaf();
        Map<String, String> env = unwrapping(leaf.writeChain("c"), leaf.writePkcs8("k"));
        env.put("REVERSE_PROXY_CA", dir.resolve("no-ca.pem").toString());
        env.put("TLS_HANDSHAKE_TIMEOUT", "0s");
        assertThat(GoproxyEnv.check(env)).extracting(ConfigProblem::variable)
                .containsExactlyInAnyOrder("REVERSE_PROXY_CA", "TLS_HANDSHAKE_TIMEOUT");
        env.put("REVERSE_PROXY_CA", ca.caFile().toString());
        env.put("TLS_HANDSHAKE_TIMEOUT", "250ms");
        assertThat(GoproxyEnv.check(env)).isEmpty();
    }

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
    }
}
