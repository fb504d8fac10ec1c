/** A throwaway certificate authority and a certificate for 127.0.0.1, made with openssl at test time. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TestCa {
  dir: string;
  caPath: string;
  certPath: string;
  keyPath: string;
}

export function hasOpenssl(): boolean {
  return spawnSync("openssl", ["version"]).status === 0;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

export function makeTestCa(): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alloy-lab-ca-"));
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=alloy-lab test CA", "-keyout", "ca.key", "-out", "ca.crt"], dir);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "node.key", "-out", "node.csr"], dir);
  fs.writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  openssl(
    ["x509", "-req", "-in", "node.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "node.crt"],
    dir,
  );
  return { dir, caPath: path.join(dir, "ca.crt"), certPath: path.join(dir, "node.crt"), keyPath: path.join(dir, "node.key") };
}
