// The images a k8ts node has without a registry: busybox, an nginx stand-in (busybox httpd) and the
// pod sandbox image. Each is the shared busybox layer plus, for nginx and pause, one small layer of
// scripts. Scripts that run as PID 1 trap TERM/INT themselves: PID 1 has no default signal actions, so
// an untrapped SIGTERM would be ignored and every stop would wait for SIGKILL.
import type { TarEntry } from './tar-writer.ts';

export interface LocalImageSpec {
  /** Tarball name in the images directory. */
  file: string;
  /** Fully qualified references; the first is the image's main name. */
  names: string[];
  /** The layer on top of the busybox base, if any. */
  extraLayer?: TarEntry[];
  /** What the layer adds, for the config's history. */
  extraLayerCreatedBy?: string;
  config: {
    Entrypoint?: string[];
    Cmd?: string[];
    WorkingDir?: string;
    ExposedPorts?: Record<string, Record<string, never>>;
    StopSignal?: string;
  };
}

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The page the nginx stand-in answers `/` with; tests find the answering pod by its hostname line. */
export const NGINX_INDEX_TITLE = 'k8ts nginx stand-in';

const NGINX_SCRIPT = `#!/bin/sh
# nginx stand-in: busybox httpd serving /usr/share/nginx/html on port 80. The index page names the pod
# (its hostname) unless one is there already, e.g. from a mounted volume. As PID 1, TERM/INT/QUIT are
# trapped and passed on to httpd so the container stops at once, as nginx does.
html=/usr/share/nginx/html
if [ ! -e "$html/index.html" ]; then
  mkdir -p "$html" 2>/dev/null
  cat 2>/dev/null >"$html/index.html" <<EOF
<!DOCTYPE html>
<html>
<head><title>Welcome to nginx!</title></head>
<body>
<h1>${NGINX_INDEX_TITLE}</h1>
<p>hostname: $(hostname)</p>
</body>
</html>
EOF
fi
trap 'kill -TERM "$httpd_pid" 2>/dev/null; wait "$httpd_pid"; exit 0' TERM INT QUIT
httpd -f -vv -p "\${NGINX_PORT:-80}" -h "$html" &
httpd_pid=$!
wait "$httpd_pid"
`;

const NGINX_ENTRYPOINT = `#!/bin/sh
# As the nginx image's entrypoint: run the command given, by default nginx -g 'daemon off;'.
exec "$@"
`;

const PAUSE_SCRIPT = `#!/bin/sh
# The pod sandbox: holds the pod's namespaces until stopped. TERM/INT end it at once (PID 1 would
# ignore them untrapped); the wait also reaps orphans re-parented to PID 1 in a shared PID namespace.
trap 'exit 0' TERM INT
while :; do
  sleep 3600 &
  wait
done
`;

export const LOCAL_IMAGES: readonly LocalImageSpec[] = [
  {
    file: 'busybox.tar',
    names: ['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.36'],
    config: { Cmd: ['sh'] },
  },
  {
    file: 'nginx.tar',
    names: ['docker.io/library/nginx:latest'],
    extraLayer: [
      { type: 'file', path: 'docker-entrypoint.sh', data: Buffer.from(NGINX_ENTRYPOINT), mode: 0o755 },
      { type: 'dir', path: 'usr/sbin' },
      { type: 'file', path: 'usr/sbin/nginx', data: Buffer.from(NGINX_SCRIPT), mode: 0o755 },
      { type: 'dir', path: 'usr/share' },
      { type: 'dir', path: 'usr/share/nginx' },
      { type: 'dir', path: 'usr/share/nginx/html' },
    ],
    extraLayerCreatedBy: 'k8ts: nginx stand-in (busybox httpd on port 80)',
    config: {
      Entrypoint: ['/docker-entrypoint.sh'],
      Cmd: ['nginx', '-g', 'daemon off;'],
      ExposedPorts: { '80/tcp': {} },
      StopSignal: 'SIGQUIT',
    },
  },
  {
    file: 'pause.tar',
    // Also under upstream's name, which pod specs and e2e-style tests use for "a container that just sleeps".
    names: ['k8ts.local/pause:3.10', 'registry.k8s.io/pause:3.10'],
    extraLayer: [{ type: 'file', path: 'pause', data: Buffer.from(PAUSE_SCRIPT), mode: 0o755 }],
    extraLayerCreatedBy: 'k8ts: pause (sleeps until TERM/INT, reaps zombies)',
    config: { Entrypoint: ['/pause'] },
  },
];
