package dev.tapline.goproxy.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The CA that signs TLS_OUT_UNWRAP's leaf certificates: {@code TLS_CERT_DIR/tls.crt} and {@code tls.key}, the
 * layout of a Kubernetes TLS secret. {@link #loadOrCreate} makes one (EC P-256, ten years) when the folder has
 * neither file, so that a first start works and the user then adds {@link #fingerprint()}'s certificate to the
 * app's trust store; one file without the other, unreadable files or a key that is not the certificate's are
 * refused (they are somebody's CA, never overwritten).
 */
public final class CertificateAuthority {
    public static final String CERT_DIR_VARIABLE = "TLS_CERT_DIR";
    static final String CERT_FILE = "tls.crt";
    static final String KEY_FILE = "tls.key";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Path dir;
    private final boolean created;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key, Path dir, boolean created) {
        this.certificate = certificate;
        this.key = key;
        this.dir = dir;
        this.created = created;
    }

    /** What the folder holds: the start check's judgement, without writing anything. */
    public enum State {
        /** Neither file: one will be created. */
        ABSENT,
        /** Both files, loaded and checked. */
        PRESENT
    }

    /**
     * Judges {@code dir} without changing it: both files usable, or neither and a folder goproxy can create them in.
     */
    public static State check(Path dir) throws TlsFileProblem {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (hasCert != hasKey) {
            throw new TlsFileProblem(CERT_DIR_VARIABLE, (hasCert ? key : cert) + " is missing while "
                    + (hasCert ? cert : key) + " exists (a CA needs both, or neither to have one created)");
        }
        if (hasCert) {
            load(dir);
            return State.PRESENT;
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new TlsFileProblem(CERT_DIR_VARIABLE, "no CA in " + dir + " and it cannot be created there ("
                    + (existing == null ? "no such folder" : existing + " is not a writable folder") + ")");
        }
        return State.ABSENT;
    }

    /** Loads the CA of {@code dir}, creating it when neither file exists. */
    public static CertificateAuthority loadOrCreate(Path dir) throws TlsFileProblem {
        if (check(dir) == State.PRESENT) {
            return load(dir);
        }
        try {
            return create(dir);
        } catch (FileAlreadyExistsException raced) {
            return load(dir); // another instance sharing the folder was first
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new TlsFileProblem(CERT_DIR_VARIABLE, "cannot create a CA in " + dir + " (" + e + ")");
        }
    }

    private static CertificateAuthority load(Path dir) throws TlsFileProblem {
        PemFiles.CertifiedKey ca = PemFiles.load(CERT_DIR_VARIABLE, dir.resolve(CERT_FILE), CERT_DIR_VARIABLE,
                dir.resolve(KEY_FILE));
        X509Certificate cert = ca.chain().get(0);
        if (cert.getBasicConstraints() < 0) {
            throw new TlsFileProblem(CERT_DIR_VARIABLE, dir.resolve(CERT_FILE) + " is not a CA certificate (no"
                    + " basicConstraints CA:TRUE), so it cannot sign leaf certificates");
        }
        return new CertificateAuthority(cert, ca.key(), dir, false);
    }

    private static CertificateAuthority create(Path dir)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        KeyPair keys = g.generateKeyPair();
        X500Principal subject = new X500Principal("CN=Tapline goproxy CA " + hostName()
                + java.time.LocalDate.now(java.time.ZoneOffset.UTC) + ", O=Tapline");
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(127, new SecureRandom()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0)); // signs leaves only
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        X509Certificate cert = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        Files.createDirectories(dir, posix("rwx------"));
        // the key first, created 0600 from the start (never readable by others, even for a moment); the certificate
        // last and by rename, so that a folder with tls.crt always has its key
        Path key = dir.resolve(KEY_FILE);
        Files.createFile(key, posix("rw-------"));
        try {
            Files.writeString(key, pem(new JcaPKCS8Generator(keys.getPrivate(), null)), StandardCharsets.US_ASCII);
            Path temp = Files.createTempFile(dir, ".tls.crt", ".tmp");
            Files.writeString(temp, pem(cert), StandardCharsets.US_ASCII);
            Files.move(temp, dir.resolve(CERT_FILE), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(key); // a key alone would be refused at the next start
            throw e;
        }
        return new CertificateAuthority(cert, keys.getPrivate(), dir, true);
    }

    X509Certificate certificate() {
        return certificate;
    }

    PrivateKey key() {
        return key;
    }

    public Path certFile() {
        return dir.resolve(CERT_FILE).toAbsolutePath();
    }

    /** Whether {@link #loadOrCreate} made it. */
    public boolean created() {
        return created;
    }

    /** SHA-256 of the certificate, as {@code openssl x509 -fingerprint -sha256} prints it (AB:CD:...). */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileAttribute<?>[] posix(String permissions) {
        if (!java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) };
    }

    static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    /** Tells apart the CAs of several installations in a trust store (no DNS lookup: start time matters). */
    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() || !host.matches("[A-Za-z0-9.-]{1,64}") ? "" : "(" + host + ") ";
    }
}
