// The parts of Docker's answers the runtime reads, and what every part of it shares.
import type { DockerClient } from './docker-client.ts';
import type { DockerState } from './docker-convert.ts';
import type { PodNetwork } from './docker-network.ts';

/** GET /containers/{id}/json */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Created: string;
  Image: string;
  LogPath: string;
  ResolvConfPath: string;
  State: DockerState;
  Config: { Image: string; Labels: Record<string, string> | null; Tty: boolean; Hostname: string };
  HostConfig: { NetworkMode: string; PidMode?: string; IpcMode?: string };
  NetworkSettings: { IPAddress?: string; Networks?: Record<string, { IPAddress?: string; GlobalIPv6Address?: string }> | null } | null;
}

/** GET /containers/json */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Created: number;
  State: string;
  Labels: Record<string, string> | null;
}

/** GET /images/{name}/json and /images/json */
export interface ImageInspect {
  Id: string;
  RepoTags: string[] | null;
  RepoDigests: string[] | null;
  Size: number;
}

export interface DockerContext {
  docker: DockerClient;
  network: PodNetwork;
  sandboxImage: string;
  scope?: string;
  minOomScoreAdj: number;
  log: (message: string) => void;
}
