// @vitest-environment node
// Behaviour of the data-folder file helpers: modes 0700/0600, atomic writes, permission repair.
import { promises as fs } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  appendSecureLine,
  createSecureFileExclusive,
  ensureSecureDir,
  readSecureFile,
  writeSecureFile,
} from "../../../local/auth/secureFiles.ts";

let root: string;
let warnings: string[];
const warn = (message: string) => warnings.push(message);

async function mode(path: string): Promise<number> {
  return (await fs.stat(path)).mode & 0o777;
}

beforeEach(async () => {
  root = await fs.mkdtemp(join(tmpdir(), "clawsync-files-"));
  warnings = [];
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe("ensureSecureDir", () => {
  it("creates every missing folder with mode 0700", async () => {
    await ensureSecureDir(join(root, "a", "b", "c"), warn);
    for (const dir of ["a", "a/b", "a/b/c"]) expect(await mode(join(root, dir))).toBe(0o700);
    expect(warnings).toEqual([]);
  });

  it("tightens an existing folder open to others, with a warning", async () => {
    const dir = join(root, "open");
    await fs.mkdir(dir);
    await fs.chmod(dir, 0o755);
    await ensureSecureDir(dir, warn);
    expect(await mode(dir)).toBe(0o700);
    expect(warnings).toEqual([`Permissions of ${dir} were 755; corrected to 700`]);
  });

  it("leaves a folder that is already private alone", async () => {
    const dir = join(root, "private");
    await fs.mkdir(dir, { mode: 0o700 });
    await ensureSecureDir(dir, warn);
    expect(warnings).toEqual([]);
  });

  it("refuses a path that is a file", async () => {
    const file = join(root, "file");
    await fs.writeFile(file, "x");
    await expect(ensureSecureDir(file, warn)).rejects.toThrow(`${file} exists and is not a folder`);
  });
});

describe("writeSecureFile", () => {
  it("writes the file with mode 0600 and leaves no temporary file", async () => {
    const path = join(root, "secret");
    await writeSecureFile(path, "one");
    await writeSecureFile(path, "two");
    expect(await fs.readFile(path, "utf8")).toBe("two");
    expect(await mode(path)).toBe(0o600);
    expect(await fs.readdir(root)).toEqual(["secret"]);
  });

  it("replaces a file that was open to others with a private one", async () => {
    const path = join(root, "secret");
    await fs.writeFile(path, "old", { mode: 0o644 });
    await writeSecureFile(path, "new");
    expect(await mode(path)).toBe(0o600);
  });
});

describe("createSecureFileExclusive", () => {
  it("creates once and never replaces", async () => {
    const path = join(root, "key");
    expect(await createSecureFileExclusive(path, "first")).toBe(true);
    expect(await createSecureFileExclusive(path, "second")).toBe(false);
    expect(await fs.readFile(path, "utf8")).toBe("first");
    expect(await mode(path)).toBe(0o600);
    expect(await fs.readdir(root)).toEqual(["key"]);
  });

  it("lets exactly one of many concurrent creators win", async () => {
    const path = join(root, "key");
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => createSecureFileExclusive(path, `v${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await fs.readFile(path, "utf8")).toBe(`v${results.indexOf(true)}`);
  });
});

describe("readSecureFile", () => {
  it("returns null for a missing file", async () => {
    expect(await readSecureFile(join(root, "missing"), warn)).toBeNull();
  });

  it("reads a private file without warning", async () => {
    const path = join(root, "secret");
    await writeSecureFile(path, "value");
    expect(await readSecureFile(path, warn)).toBe("value");
    expect(warnings).toEqual([]);
  });

  it("corrects a file open to others to 0600, with a warning", async () => {
    const path = join(root, "secret");
    await fs.writeFile(path, "value");
    await fs.chmod(path, 0o644);
    expect(await readSecureFile(path, warn)).toBe("value");
    expect(await mode(path)).toBe(0o600);
    expect(warnings).toEqual([`Permissions of ${path} were 644; corrected to 600`]);
  });

  it("refuses to follow a symlink", async () => {
    const target = join(root, "elsewhere");
    const link = join(root, "secret");
    await fs.writeFile(target, "not yours");
    await fs.symlink(target, link);
    await expect(readSecureFile(link, warn)).rejects.toThrow(`${link} is a symbolic link; refusing to read it`);
  });

  it("refuses a folder", async () => {
    const dir = join(root, "dir");
    await fs.mkdir(dir);
    await expect(readSecureFile(dir, warn)).rejects.toThrow(`${dir} is not a regular file`);
  });
});

describe("appendSecureLine", () => {
  it("creates the file with mode 0600 and appends lines", async () => {
    const path = join(root, "log.jsonl");
    await appendSecureLine(path, "a", { warn });
    await appendSecureLine(path, "b", { warn });
    expect(await fs.readFile(path, "utf8")).toBe("a\nb\n");
    expect(await mode(path)).toBe(0o600);
  });

  it("corrects a log open to others", async () => {
    const path = join(root, "log.jsonl");
    await fs.writeFile(path, "", { mode: 0o666 });
    await fs.chmod(path, 0o666);
    await appendSecureLine(path, "a", { warn });
    expect(await mode(path)).toBe(0o600);
    expect(warnings).toEqual([`Permissions of ${path} were 666; corrected to 600`]);
  });

  it("rotates to <path>.1 once the file reaches the size limit", async () => {
    const path = join(root, "log.jsonl");
    await appendSecureLine(path, "12345", { rotateAtBytes: 10, warn });
    await appendSecureLine(path, "6789", { rotateAtBytes: 10, warn });
    await appendSecureLine(path, "next", { rotateAtBytes: 10, warn });
    expect(await fs.readFile(`${path}.1`, "utf8")).toBe("12345\n6789\n");
    expect(await fs.readFile(path, "utf8")).toBe("next\n");
    expect(await mode(path)).toBe(0o600);
  });

  it("refuses to append through a symlink", async () => {
    const target = join(root, "elsewhere");
    const link = join(root, "log.jsonl");
    await fs.writeFile(target, "");
    await fs.symlink(target, link);
    await expect(appendSecureLine(link, "a", { warn })).rejects.toThrow();
    expect(await fs.readFile(target, "utf8")).toBe("");
  });
});
