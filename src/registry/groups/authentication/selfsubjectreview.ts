// authentication.k8s.io/v1 SelfSubjectReview (kubectl auth whoami): a virtual, create-only resource
// answering with the requesting user's attributes (pkg/registry/authentication/selfsubjectreview).
import { newBadRequest } from '../../../apimachinery/errors.ts';
import { defineResource } from '../../define-resource.ts';
import { rfc3339 } from '../../generic/object-meta.ts';

export const selfSubjectReviews = defineResource({
  apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', namespaced: false,
  virtual: true, verbs: ['create'],
  strategy: {
    evaluate(_obj, ctx) {
      const user = ctx.user;
      if (!user) throw newBadRequest('no user present on request');
      // UserInfo's uid, groups and extra are omitempty; the answer is stamped with the time it was made.
      const userInfo: Record<string, unknown> = { username: user.name };
      if (user.uid) userInfo.uid = user.uid;
      if (user.groups.length) userInfo.groups = [...user.groups];
      return {
        apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview',
        metadata: { creationTimestamp: rfc3339(ctx.now()) }, status: { userInfo },
      };
    },
  },
});
