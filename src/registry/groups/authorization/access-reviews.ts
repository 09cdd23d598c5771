// authorization.k8s.io/v1: the access reviews kubectl auth can-i and webhooks ask. Virtual, create-only
// resources (pkg/registry/authorization/*/rest.go): nothing is stored, the create answers with the
// authorizer's decision in status.
import { newBadRequest } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { defineResource, type ResourceDeclaration } from '../../define-resource.ts';
import type { RequestContext, ResourceDefinition } from '../../types.ts';
import {
  validateLocalSubjectAccessReview, validateSelfSubjectAccessReview, validateSubjectAccessReview,
} from './access-review-validation.ts';
import { authorizer, requestUser, type AuthorizationAttributes, type AuthorizationDecision, type UserInfo } from './authorizer.ts';

type Obj = Record<string, any>;

const VIRTUAL = { virtual: true, verbs: ['create'] };

/** authorizationutil.ResourceAttributesFrom / NonResourceAttributesFrom. */
function attributesFrom(user: UserInfo, spec: Obj): AuthorizationAttributes {
  const r = spec.resourceAttributes as Obj | undefined;
  if (r) {
    return {
      user, resourceRequest: true, verb: r.verb ?? '', namespace: r.namespace ?? '', apiGroup: r.group ?? '',
      apiVersion: r.version ?? '', resource: r.resource ?? '', subresource: r.subresource ?? '', name: r.name ?? '',
    };
  }
  const n = (spec.nonResourceAttributes as Obj | undefined) ?? {};
  return { user, resourceRequest: false, verb: n.verb ?? '', path: n.path ?? '' };
}

/** SubjectAccessReviewStatus: allowed always printed; denied, reason and evaluationError only when set. */
function reviewStatus(d: AuthorizationDecision): Obj {
  const status: Obj = { allowed: d.decision === 'Allow' };
  if (d.decision === 'Deny') status.denied = true;
  if (d.reason) status.reason = d.reason;
  if (d.evaluationError) status.evaluationError = d.evaluationError;
  return status;
}

function userFrom(ctx: RequestContext): UserInfo {
  const user = requestUser(ctx);
  if (!user) throw newBadRequest('no user present on request');
  return user;
}

/** The user a SubjectAccessReview asks about: spec.user, groups, uid and extra. */
function specUser(spec: Obj): UserInfo {
  return { name: spec.user ?? '', uid: spec.uid, groups: Array.isArray(spec.groups) ? spec.groups : [], extra: spec.extra };
}

function review(obj: KObject, user: UserInfo): KObject {
  obj.status = reviewStatus(authorizer.authorize(attributesFrom(user, (obj.spec as Obj) ?? {})));
  return obj;
}

function declare(d: Omit<ResourceDeclaration, 'apiVersion'>): ResourceDefinition {
  return defineResource({ apiVersion: 'authorization.k8s.io/v1', ...VIRTUAL, ...d });
}

export const selfSubjectAccessReviews = declare({
  kind: 'SelfSubjectAccessReview', namespaced: false,
  strategy: { validate: validateSelfSubjectAccessReview, evaluate: (obj, ctx) => review(obj, userFrom(ctx)) },
});

export const subjectAccessReviews = declare({
  kind: 'SubjectAccessReview', namespaced: false,
  strategy: { validate: validateSubjectAccessReview, evaluate: (obj) => review(obj, specUser((obj.spec as Obj) ?? {})) },
});

export const localSubjectAccessReviews = declare({
  kind: 'LocalSubjectAccessReview', namespaced: true,
  strategy: {
    validate: validateLocalSubjectAccessReview,
    evaluate(obj, ctx) {
      if (!ctx.namespace) throw newBadRequest('namespace is required on this type: ');
      return review(obj, specUser((obj.spec as Obj) ?? {}));
    },
  },
});

export const selfSubjectRulesReviews = declare({
  kind: 'SelfSubjectRulesReview', namespaced: false,
  strategy: {
    evaluate(obj, ctx) {
      const user = userFrom(ctx);
      const namespace = ((obj.spec as Obj)?.namespace as string | undefined) ?? '';
      if (!namespace) throw newBadRequest('no namespace on request');
      const rules = authorizer.rulesFor(user, namespace);
      // Upstream answers with a new object: an empty spec and the rules.
      const status: Obj = { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete };
      if (rules.evaluationError) status.evaluationError = rules.evaluationError;
      return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: {}, status };
    },
  },
});

export const resources = [localSubjectAccessReviews, selfSubjectAccessReviews, selfSubjectRulesReviews, subjectAccessReviews];
