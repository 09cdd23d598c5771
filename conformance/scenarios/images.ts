// The e2e suite's test images (imageutils). API-only scenarios never pull them; using the same names
// keeps the objects identical to upstream's.
export const IMAGES = {
  agnhost: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
  busybox: 'registry.k8s.io/e2e-test-images/busybox:1.36.1-1',
  httpd: 'registry.k8s.io/e2e-test-images/httpd:2.4.38-4',
  nginx: 'registry.k8s.io/e2e-test-images/nginx:1.15-4',
  pause: 'registry.k8s.io/pause:3.10',
} as const;
