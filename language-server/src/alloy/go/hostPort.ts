/** Host and port syntax as Go's net package and Alloy's join logic accept it. */

export interface HostPort {
  host: string;
  port?: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIPv4(s: string): boolean {
  return IPV4.test(s);
}

export function isIPv6(s: string): boolean {
  const halves = s.split("::");
  if (halves.length > 2) return false;
  const groupsOf = (h: string): string[] => (h === "" ? [] : h.split(":"));
  const all = halves.flatMap(groupsOf);
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i];
    if (i === all.length - 1 && isIPv4(g) && halves[halves.length - 1] !== "")
      count += 2; // trailing a.b.c.d
    else if (/^[0-9A-Fa-f]{1,4}$/.test(g)) count += 1;
    else return false;
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/** A DNS name as resolvers accept it (RFC 1123 labels; `_` allowed, as in SRV names). */
export function isDnsName(s: string): boolean {
  if (s.length === 0 || s.length > 253) return false;
  return s
    .replace(/\.$/, "")
    .split(".")
    .every((l) => /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l));
}

/** Splits "host:port" / "[v6]:port" / "host" (when `portRequired` is false). Undefined when malformed. */
export function splitHostPort(s: string, portRequired: boolean): HostPort | undefined {
  let host: string, portText: string | undefined;
  if (s.startsWith("[")) {
    const close = s.indexOf("]");
    if (close < 0) return undefined;
    host = s.slice(1, close);
    const rest = s.slice(close + 1);
    if (rest === "") portText = undefined;
    else if (rest.startsWith(":")) portText = rest.slice(1);
    else return undefined;
    if (!isIPv6(host)) return undefined;
  } else {
    const colons = s.split(":").length - 1;
    if (colons === 0) host = s;
    else if (colons === 1) [host, portText] = s.split(":");
    else if (isIPv6(s))
      host = s; // a bare IPv6 address, no port
    else return undefined;
  }
  if (portText === undefined) return portRequired ? undefined : { host };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return undefined;
  return { host, port: Number(portText) };
}
