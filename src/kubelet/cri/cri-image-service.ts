// ImageService over CRI v1 gRPC.
import { type ImageService, RuntimeError } from '../runtime/runtime-service.ts';
import { type CriMessage, fromCriImage, toBigInt } from './cri-convert.ts';
import type { CriClient } from './cri-grpc-client.ts';

// A pull downloads and unpacks every layer; the kubelet's default --runtime-request-timeout is 2 min.
const PULL_TIMEOUT_MS = 2 * 60_000;

export function criImageService(cri: CriClient): ImageService {
  const img = <T = CriMessage>(method: string, request: object, timeoutMs?: number): Promise<T> => cri.call<T>('ImageService', method, request, timeoutMs);

  return {
    async listImages() {
      const res = await img('ListImages', { filter: null });
      return (res.images as CriMessage[]).map(fromCriImage);
    },
    async imageStatus(image: string) {
      const res = await img('ImageStatus', { image: { image }, verbose: false });
      return res.image ? fromCriImage(res.image) : null;
    },
    async pullImage(image: string, auth?: { username?: string; password?: string; auth?: string }) {
      const res = await img('PullImage', { image: { image }, auth: auth ? { username: auth.username ?? '', password: auth.password ?? '', auth: auth.auth ?? '' } : null }, PULL_TIMEOUT_MS);
      return res.imageRef as string;
    },
    async removeImage(image: string) {
      await img('RemoveImage', { image: { image } });
    },
    async imageFsInfo() {
      const res = await img('ImageFsInfo', {});
      const fs = (res.imageFilesystems as CriMessage[])[0];
      if (!fs) throw new RuntimeError('the runtime reported no image filesystem');
      return { mountpoint: fs.fsId?.mountpoint ?? '', usedBytes: toBigInt(fs.usedBytes?.value) };
    },
  };
}
