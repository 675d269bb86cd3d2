/**
 * The HTTP routing table the Functions host builds from the app's `app.http` registrations, and its
 * function-key check.
 */
import type { CapturedRegistration } from './functions-core-shim';
import { describeRegistrations } from './registrations';
import { matchRoute, parseRouteTemplate, type RouteSegment, type RouteTemplate } from './route-template';

/** One HTTP function's route. */
export interface HttpRoute {
  readonly functionName: string;
  readonly template: RouteTemplate;
  readonly methods: ReadonlySet<string>;
  readonly authLevel: string;
}

/** A request matched to a route. */
export interface RouteMatch {
  readonly route: HttpRoute;
  readonly params: Record<string, string>;
}

function segmentRank(segment: RouteSegment): number {
  if (segment.kind === 'literal') return 0;
  if (segment.catchAll) return 4;
  if (segment.optional) return 3;
  return segment.constraints.length > 0 ? 1 : 2;
}

/** Orders routes as ASP.NET routing prefers them: literals before parameters, catch-alls last. */
function compareRoutes(a: HttpRoute, b: HttpRoute): number {
  const ra = a.template.segments.map(segmentRank);
  const rb = b.template.segments.map(segmentRank);
  for (let i = 0; i < Math.max(ra.length, rb.length); i += 1) {
    const diff = (ra[i] ?? -1) - (rb[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The routes of every HTTP function, most specific first. */
export function buildHttpRoutes(registrations: readonly CapturedRegistration[]): HttpRoute[] {
  return describeRegistrations(registrations)
    .filter((d) => d.trigger === 'httpTrigger')
    .map((d) => ({
      functionName: d.name,
      template: parseRouteTemplate(d.route ?? d.name),
      methods: new Set(d.methods ?? ['GET', 'POST']),
      authLevel: (d.authLevel ?? 'anonymous').toLowerCase(),
    }))
    .sort(compareRoutes);
}

/** The first route matching the path (after the route prefix) and method. */
export function findRoute(routes: readonly HttpRoute[], method: string, path: string): RouteMatch | null {
  for (const route of routes) {
    if (!route.methods.has(method.toUpperCase())) continue;
    const params = matchRoute(route.template, path);
    if (params) return { route, params };
  }
  return null;
}
