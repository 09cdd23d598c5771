// The authorizer the access reviews consult. k8ts has no authorization mode yet: every authenticated
// request is allowed, which is kube-apiserver's --authorization-mode=AlwaysAllow, so the reviews answer
// as AlwaysAllow does (allowed, no reason; rules "*" on everything). A real mode replaces `authorizer`.
import type { RequestContext } from '../../types.ts';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** authorizer.Attributes: a resource request (verb on group/resource[/subresource] name) or a URL path. */
export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  namespace?: string;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  path?: string;
}

export interface AuthorizationDecision {
  decision: 'Allow' | 'Deny' | 'NoOpinion';
  reason: string;
  evaluationError?: string;
}

export interface ResourceRule { verbs: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }
export interface NonResourceRule { verbs: string[]; nonResourceURLs?: string[] }

export interface RulesForResult {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface Authorizer {
  authorize(attributes: AuthorizationAttributes): AuthorizationDecision;
  rulesFor(user: UserInfo, namespace: string): RulesForResult;
}

/** authorizerfactory.NewAlwaysAllowAuthorizer. */
export const alwaysAllowAuthorizer: Authorizer = {
  authorize: () => ({ decision: 'Allow', reason: '' }),
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  }),
};

export const authorizer: Authorizer = alwaysAllowAuthorizer;

/** The requesting user; the reviews about "self" answer 400 without one, as upstream. */
export function requestUser(ctx: RequestContext): UserInfo | undefined {
  return ctx.user ? { name: ctx.user.name, uid: ctx.user.uid, groups: [...ctx.user.groups] } : undefined;
}
