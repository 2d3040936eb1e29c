package dev.tapline.goproxy.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.netty.util.NetUtil;

/**
 * Makes the leaf certificate the app is shown for one host name, signed by the {@link CertificateAuthority}. All
 * leaves share one EC P-256 key, made once (as mitmproxy does): a leaf then costs one signature, not a key
 * generation. A leaf lives {@link #VALIDITY} (never past the CA's end) and names the host in its subjectAltName,
 * as a DNS name or an IP address, which is what clients check.
 */
final class LeafMinter {
    static final Duration VALIDITY = Duration.ofDays(30);

    private final CertificateAuthority ca;
    private final KeyPair leafKeys;
    private final String signature;
    private final SecureRandom random = new SecureRandom();

    LeafMinter(CertificateAuthority ca) throws GeneralSecurityException {
        this.ca = ca;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        this.leafKeys = g.generateKeyPair();
        this.signature = ca.key().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** A leaf for {@code host} (a DNS name or an IP literal, IPv6 without brackets) and its key. */
    PemFiles.CertifiedKey mint(String host) throws GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        Date notAfter = Date.from(now.plus(VALIDITY));
        if (notAfter.after(ca.certificate().getNotAfter())) {
            notAfter = ca.certificate().getNotAfter();
        }
        // CN is at most 64 characters; the subjectAltName carries the whole name
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, host.length() <= 64 ? host : host.substring(0, 64)).build();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), new BigInteger(127, random),
                Date.from(now.minus(Duration.ofHours(1))), notAfter, subject, leafKeys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        boolean ip = NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
        try {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host)));
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafKeys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot encode the extensions for " + host, e);
        }
        X509Certificate leaf = new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder(signature).build(ca.key())));
        return new PemFiles.CertifiedKey(leafKeys.getPrivate(), List.of(leaf, ca.certificate()));
    }
}
