/**
 * The one guard every outbound fetch of Citat goes through (feeds, their redirects, the article
 * pages they link to and those pages' redirects): a feed is written by a stranger, and what it
 * links to must not make the bot read — and then quote to anyone — a service on its own network.
 *
 * For each URL (each redirect hop too):
 * 1. the host is resolved ONCE (an IP literal is its own address); a lookup error refuses the
 *    fetch (fail closed);
 * 2. unless the URL is on the trusted origin, EVERY resolved address must be public: the
 *    `unicast` range of ipaddr.js after IPv4-mapped addresses are normalised, which leaves out
 *    loopback, private, link-local, CGNAT, NAT64 (64:ff9b::/96), 6to4, Teredo, site-local
 *    (fec0::/10), benchmarking (198.18/15), documentation and the other reserved ranges;
 * 3. the connection goes to exactly the address that was checked (an undici dispatcher whose
 *    `lookup` returns it), so a DNS answer that changes between check and connect (rebinding)
 *    changes nothing.
 *
 * The trusted origin is the operator's feed (scheme, host AND port): an intranet feed is
 * legitimate, and the pages on that same origin are too; anything else a feed links to, or
 * redirects to, must be public.
 */
import { lookup as dnsLookup } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { Agent } from "undici";

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to all its addresses; throws when it cannot. */
export type LookupAll = (host: string) => Promise<ResolvedAddress[]>;

export interface OutboundPolicy {
  /** The operator-configured origin (`URL.origin`): any address is allowed there. */
  readonly trustedOrigin?: string | null;
  /** Whether an address may be connected to on any other origin (default: `isPublicAddress`). */
  readonly isAllowedAddress?: (ip: string) => boolean;
  /** Name resolution (default: the system resolver, every address). */
  readonly lookup?: LookupAll;
}

/** The fetch was refused by the guard (not a network failure). */
export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefused";
  }
}

/**
 * Whether an IP address is on the public internet: ipaddr.js's `unicast` range, with
 * IPv4-mapped IPv6 (`::ffff:127.0.0.1`) judged as the IPv4 address it is. Anything that does
 * not parse is not public.
 */
export function isPublicAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(bare)) return false;
  const addr = ipaddr.process(bare);
  return addr.range() === "unicast";
}

const systemLookup: LookupAll = (host) =>
  new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family })));
    });
  });

/** What a checked URL connects to: the pinned address, and the dispatcher that connects only there. */
export interface CheckedTarget {
  readonly address: ResolvedAddress;
  readonly dispatcher: Agent;
}

/**
 * Resolves and checks one URL under the policy; returns a dispatcher pinned to the checked
 * address (close it after use). Throws OutboundRefused when the URL may not be fetched.
 */
export async function checkTarget(url: URL, policy: OutboundPolicy = {}): Promise<CheckedTarget> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const trusted = policy.trustedOrigin != null && url.origin === policy.trustedOrigin;
  let addresses: ResolvedAddress[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await (policy.lookup ?? systemLookup)(host);
    } catch (err) {
      throw new OutboundRefused(
        `${url.host}: cannot resolve (${(err as { code?: string }).code ?? (err as Error).message}); not fetched`,
      );
    }
  }
  if (addresses.length === 0) throw new OutboundRefused(`${url.host}: no address; not fetched`);
  if (!trusted) {
    const allowed = policy.isAllowedAddress ?? isPublicAddress;
    const bad = addresses.find((a) => !allowed(a.address));
    if (bad) throw new OutboundRefused(`${url.host} resolves to ${bad.address}, not a public address; not fetched`);
  }
  const pinned = addresses[0] as ResolvedAddress;
  const dispatcher = new Agent({
    connect: {
      // Called for host names only (an IP literal is connected to as it is, and was checked above).
      lookup: ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
        if (options?.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
        else callback(null, pinned.address, pinned.family);
      }) as never,
    },
  });
  return { address: pinned, dispatcher };
}
