package dev.tapline.goproxy.support;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made for a test, in a temporary folder: a CA and leaves it signed for "localhost" and 127.0.0.1,
 * written as PEM the way operators have them (chain files, PKCS#8, PKCS#1 and SEC1 keys).
 */
public final class TestCerts {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    public final Path dir;
    public final KeyPair caKeys;
    public final X509Certificate ca;
    private final String name;

    private TestCerts(Path dir, String name, KeyPair caKeys, X509Certificate ca) {
        this.dir = dir;
        this.name = name;
        this.caKeys = caKeys;
        this.ca = ca;
    }

    /** A new CA named {@code name}, its certificate in {@code <name>-ca.pem}. */
    public static TestCerts ca(Path dir, String name) throws Exception {
        KeyPair keys = ec();
        X500Principal subject = new X500Principal("CN=" + name + " test CA");
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(Instant.now().minus(Duration.ofDays(1))), Date.from(Instant.now().plus(Duration.ofDays(30))),
                subject, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate cert = sign(b, keys.getPrivate());
        TestCerts certs = new TestCerts(dir, name, keys, cert);
        Files.writeString(dir.resolve(name + "-ca.pem"), pem(cert));
        return certs;
    }

    /** A JDK TLS context that trusts only the CA certificate in {@code caFile}, as an app configured for it. */
    public static javax.net.ssl.SSLContext trustOnly(Path caFile) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(caFile)) {
            trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory
                .getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    public Path caFile() {
        return dir.resolve(name + "-ca.pem");
    }

    /** A leaf for localhost/127.0.0.1 valid from {@code from} to {@code to}, with an EC or RSA key. */
    public Leaf leaf(String cn, boolean rsa, Instant from, Instant to) throws Exception {
        KeyPair keys = rsa ? rsa() : ec();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(from), Date.from(to),
                new X500Principal("CN=" + cn), keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.dNSName, cn) }));
        return new Leaf(sign(b, caKeys.getPrivate()), keys.getPrivate());
    }

    public Leaf leaf(String cn) throws Exception {
        return leaf(cn, false, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(10)));
    }

    /** A leaf certificate and its key. */
    public final class Leaf {
        public final X509Certificate cert;
        public final PrivateKey key;

        Leaf(X509Certificate cert, PrivateKey key) {
            this.cert = cert;
            this.key = key;
        }

        /** Writes the chain (leaf, then CA) to {@code <name>.pem}. */
        public Path writeChain(String name) throws IOException {
            Path p = dir.resolve(name + ".pem");
            Files.writeString(p, pem(cert) + pem(ca));
            return p;
        }

        /** A JDK server context showing this leaf (chain: leaf, then the CA). */
        public javax.net.ssl.SSLContext serverContext() throws Exception {
            char[] none = new char[0];
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("leaf", key, none, new java.security.cert.Certificate[] {cert, ca});
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory
                    .getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), null, null);
            return ssl;
        }

        /** Writes the key as PKCS#8 ("PRIVATE KEY") to {@code <name>.key}. */
        public Path writePkcs8(String name) throws Exception {
            Path p = dir.resolve(name + ".key");
            Files.writeString(p, pem(new JcaPKCS8Generator(key, null)));
            return p;
        }

        /** Writes the key in the traditional form: PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"). */
        public Path writeTraditional(String name) throws Exception {
            Path p = dir.resolve(name + ".key");
            Files.writeString(p, pem(key));
            return p;
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        String algorithm = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, new SecureRandom());
        return g.generateKeyPair();
    }
}
