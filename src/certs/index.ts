export { ensureClusterCertificates, CERT_FILES, CA_COMMON_NAME, ADMIN_USER, ADMIN_GROUP } from './cert-store.ts';
export type { ClusterCertificates, EnsureCertificatesOptions } from './cert-store.ts';
export { createCertificateAuthority, issueCertificate, issueClientCertificate } from './issue-certificate.ts';
export type { CertKeyPair, LeafRequest } from './issue-certificate.ts';
export { servingCertificateSANs, firstServiceIP } from './serving-sans.ts';
export type { SubjectAltNames } from './serving-sans.ts';
