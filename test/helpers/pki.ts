/**
 * A throw-away public key infrastructure for mutual-TLS tests: a certificate
 * authority and certificates for loopback (127.0.0.1, localhost) usable by a
 * server and as a client, written as PEM files to a temporary directory.
 */
import { webcrypto } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as Crypto);
const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
let serial = 1;

export interface Authority {
  /** Path of the CA certificate (PEM). */
  caFile: string;
  /** A certificate signed by this CA for a named holder: paths of the certificate and its key. */
  issue(holder: string): Promise<{ certFile: string; keyFile: string }>;
}

async function keyFile(dir: string, name: string, key: CryptoKey): Promise<string> {
  const file = join(dir, `${name}.key.pem`);
  writeFileSync(
    file,
    x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY"),
  );
  return file;
}

export async function newAuthority(name: string): Promise<Authority> {
  const dir = mkdtempSync(join(tmpdir(), "ariadne-pki-"));
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 24 * 3_600_000);
  const caKeys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, "0"),
    name: `CN=${name}`,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, ca.toString("pem"));
  return {
    caFile,
    async issue(holder) {
      const keys = await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"]);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(2, "0"),
        subject: `CN=${holder}`,
        issuer: ca.subject,
        notBefore,
        notAfter,
        signingKey: caKeys.privateKey,
        publicKey: keys.publicKey,
        signingAlgorithm: alg,
        extensions: [
          new x509.SubjectAlternativeNameExtension([
            { type: "ip", value: "127.0.0.1" },
            { type: "dns", value: "localhost" },
          ]),
          new x509.ExtendedKeyUsageExtension([
            x509.ExtendedKeyUsage.serverAuth,
            x509.ExtendedKeyUsage.clientAuth,
          ]),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        ],
      });
      const certFile = join(dir, `${holder}.pem`);
      writeFileSync(certFile, cert.toString("pem"));
      return { certFile, keyFile: await keyFile(dir, holder, keys.privateKey) };
    },
  };
}
