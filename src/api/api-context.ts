// What every route module is given: the app typed with the zod provider and the services behind the API.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ControlPlane } from "../service/control-plane.ts";
import type { Store } from "../store/store.ts";
import type { AccountingThread } from "../workers/accounting-thread.ts";
import type { Authenticator } from "./auth/authenticator.ts";
import type { EnergyContext } from "./usage-signals.ts";

export type ApiApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ApiContext {
  controlPlane: ControlPlane;
  store: Store;
  authenticator: Authenticator;
  /** The hourly signals usage accounts energy, water, heat and emissions with. */
  energy: EnergyContext;
  /** Where usage's and the reports' accounting runs, off the event loop. */
  accounting: AccountingThread;
}
