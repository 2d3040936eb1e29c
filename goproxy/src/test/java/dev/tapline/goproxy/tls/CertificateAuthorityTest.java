package dev.tapline.goproxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.tapline.goproxy.support.LogRecords;
import dev.tapline.goproxy.support.TestCerts;

/**
 * TLS_CERT_DIR's CA: created at the first start (key 0600, path and fingerprint logged), the same one reused at the
 * next, and somebody else's files refused rather than overwritten. The fingerprint is checked against openssl's.
 */
class CertificateAuthorityTest {
    @TempDir
    Path dir;

    private TlsIntercept start(Path certDir) throws Exception {
        return TlsIntercept.create(new TlsOutSettings(certDir, null, null, null, Duration.ofSeconds(10)), new TlsStats());
    }

    @Test
    void aMissingCaIsCreatedWithAPrivateKeyLoggedWithItsFingerprintAndReusedAtTheNextStart() throws Exception {
        Path certDir = dir.resolve("nested/ca");
        String fingerprint;
        try (LogRecords log = new LogRecords(TlsIntercept.class)) {
            TlsIntercept first = start(certDir);
            first.close();
            assertThat(first.ca().created()).isTrue();
            fingerprint = first.ca().fingerprint();
            List<ExtLogRecord> records = log.records();
            assertThat(records).extracting(ExtLogRecord::getMessage).containsExactly(
                    "Created a CA for TLS_OUT_UNWRAP: add its certificate to the app's trust store", "TLS out unwrap on");
            assertThat(records.get(0).getLevel().getName()).isEqualTo("INFO");
            assertThat(records.get(0).getParameters()[0].toString()).isEqualTo("file=" + certDir.resolve("tls.crt")
                    .toAbsolutePath() + " sha256=" + fingerprint);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certDir.resolve("tls.key"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(certDir.resolve("tls.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        try (Stream<Path> files = Files.list(certDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tls.crt", "tls.key");
        }
        Process openssl = new ProcessBuilder("openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in",
                certDir.resolve("tls.crt").toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(openssl.waitFor()).as(out).isZero();
        assertThat(out).isEqualToIgnoringCase("sha256 Fingerprint=" + fingerprint);

        byte[] key = Files.readAllBytes(certDir.resolve("tls.key"));
        try (LogRecords log = new LogRecords(TlsIntercept.class)) {
            TlsIntercept second = start(certDir);
            second.close();
            assertThat(second.ca().created()).isFalse();
            assertThat(second.ca().fingerprint()).isEqualTo(fingerprint);
            assertThat(log.records()).extracting(ExtLogRecord::getMessage).containsExactly("TLS out unwrap on");
            assertThat(log.records().get(0).getParameters()[0].toString()).contains("sha256=" + fingerprint);
        }
        assertThat(Files.readAllBytes(certDir.resolve("tls.key"))).isEqualTo(key);
    }

    @Test
    void anOperatorsCaInTheKubernetesSecretLayoutIsUsed() throws Exception {
        TestCerts ops = TestCerts.ca(dir, "ops");
        Path certDir = Files.createDirectory(dir.resolve("secret"));
        Files.copy(ops.caFile(), certDir.resolve("tls.crt"));
        Files.writeString(certDir.resolve("tls.key"), pemKey(ops));
        TlsIntercept intercept = start(certDir);
        intercept.close();
        assertThat(intercept.ca().created()).isFalse();
        assertThat(intercept.ca().certificate()).isEqualTo(ops.ca);
    }

    @Test
    void halfACaAKeyOfAnotherCertificateOrALeafAreRefusedNamingTlsCertDirAndLeftAsTheyAre() throws Exception {
        TestCerts ops = TestCerts.ca(dir, "ops");
        TestCerts other = TestCerts.ca(dir, "other");
        Path half = Files.createDirectory(dir.resolve("half"));
        Files.copy(ops.caFile(), half.resolve("tls.crt"));
        assertProblem(half, "tls.key is missing while");
        assertThat(half.resolve("tls.key")).doesNotExist();

        Path mismatched = Files.createDirectory(dir.resolve("mismatched"));
        Files.copy(ops.caFile(), mismatched.resolve("tls.crt"));
        Files.writeString(mismatched.resolve("tls.key"), pemKey(other));
        assertProblem(mismatched, "the key does not match the certificate");

        Path leaf = Files.createDirectory(dir.resolve("leaf"));
        TestCerts.Leaf l = ops.leaf("not-a-ca.test");
        Files.copy(l.writeChain("leaf"), leaf.resolve("tls.crt"));
        Files.copy(l.writePkcs8("leaf"), leaf.resolve("tls.key"));
        assertProblem(leaf, "is not a CA certificate");
    }

    @Test
    void aFolderThatCannotBeCreatedIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertProblem(file.resolve("ca"), "cannot be created there");
    }

    private void assertProblem(Path certDir, String message) {
        assertThatThrownBy(() -> start(certDir)).isInstanceOfSatisfying(TlsFileProblem.class, p -> {
            assertThat(p.variable()).isEqualTo("TLS_CERT_DIR");
            assertThat(p.getMessage()).contains(message);
        });
    }

    private static String pemKey(TestCerts ca) throws Exception {
        return CertificateAuthority.pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(ca.caKeys.getPrivate(), null));
    }
}
