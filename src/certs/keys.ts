// RSA keys come from node:crypto (native, ~100-200 ms each) rather than node-forge (pure JS, seconds).
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface GeneratedKey {
  /** PKCS#1 "RSA PRIVATE KEY" PEM, as kubeadm writes it. */
  keyPem: string;
  /** SPKI "PUBLIC KEY" PEM. */
  publicKeyPem: string;
}

export async function generateRsaKey(modulusLength = 2048): Promise<GeneratedKey> {
  const { privateKey, publicKey } = await generateKeyPairAsync('rsa', {
    modulusLength,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { keyPem: privateKey, publicKeyPem: publicKey };
}
