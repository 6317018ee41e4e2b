/** The part of oidc-provider (v9, which ships no types) that the baseline uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Saveable {
    save(): Promise<string>;
  }

  interface GrantModel extends Saveable {
    addOIDCScope(scope: string): void;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    Grant: new (payload: Record<string, unknown>) => GrantModel;
    AuthorizationCode: new (payload: Record<string, unknown>) => Saveable;
  }
}
