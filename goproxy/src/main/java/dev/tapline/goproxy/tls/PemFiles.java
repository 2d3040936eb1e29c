package dev.tapline.goproxy.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads and checks the PEM files of the TLS settings: a certificate chain (leaf first), a private key in PKCS#8,
 * PKCS#1 (RSA) or SEC1 (EC) form, and CA bundles. The parsing is the JDK's (certificates) and BouncyCastle's (keys);
 * this class only says, in an operator's words, what is wrong.
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** A certificate chain and its key, checked: readable, valid now, and the key belongs to the leaf. */
    public record CertifiedKey(PrivateKey key, List<X509Certificate> chain) {
    }

    public static CertifiedKey load(String certVariable, Path certFile, String keyVariable, Path keyFile)
            throws TlsFileProblem {
        List<X509Certificate> chain = certificates(certVariable, certFile);
        X509Certificate leaf = chain.get(0);
        try {
            leaf.checkValidity(new Date());
        } catch (CertificateExpiredException e) {
            throw new TlsFileProblem(certVariable, "its certificate expired on " + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            throw new TlsFileProblem(certVariable, "its certificate is not valid before " + leaf.getNotBefore().toInstant());
        }
        PrivateKey key = privateKey(keyVariable, keyFile);
        if (!belongTogether(key, leaf)) {
            throw new TlsFileProblem(keyVariable, "the key does not match the certificate in " + certVariable);
        }
        return new CertifiedKey(key, chain);
    }

    /** Every certificate in a PEM file, in file order; at least one. */
    public static List<X509Certificate> certificates(String variable, Path file) throws TlsFileProblem {
        byte[] bytes = read(variable, file);
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new TlsFileProblem(variable, "no PEM certificate in " + file);
            }
            return out;
        } catch (CertificateException | IOException e) {
            throw new TlsFileProblem(variable, "not a PEM certificate file: " + file + " (" + e.getMessage() + ")");
        }
    }

    static PrivateKey privateKey(String variable, Path file) throws TlsFileProblem {
        byte[] bytes = read(variable, file);
        try (Reader r = new java.io.StringReader(new String(bytes, StandardCharsets.US_ASCII));
                PEMParser pem = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PrivateKeyInfo info) { // PKCS#8
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) { // PKCS#1 RSA, SEC1 EC (its public key is optional)
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
            throw new TlsFileProblem(variable, "no unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1) in " + file);
        } catch (IOException | RuntimeException e) {
            throw new TlsFileProblem(variable, "not a PEM private key file: " + file + " (" + e.getMessage() + ")");
        }
    }

    private static byte[] read(String variable, Path file) throws TlsFileProblem {
        if (!Files.exists(file)) {
            throw new TlsFileProblem(variable, "no such file: " + file);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new TlsFileProblem(variable, "cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    /** Signs a few bytes with the key and checks them with the leaf's public key: works for RSA, EC and EdDSA. */
    private static boolean belongTogether(PrivateKey key, X509Certificate leaf) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm()); // left to the TLS stack
        }
        try {
            byte[] probe = "tapline key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
