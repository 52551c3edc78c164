import assert from "node:assert/strict";
import { test } from "node:test";

import {
  checkDomainName,
  describeResult,
  newDomainArguments,
  routerFile,
} from "../src/newDomain";

test("domain names are lower_snake_case identifiers that are not keywords", () => {
  assert.equal(checkDomainName("posts"), undefined);
  assert.equal(checkDomainName("  blog_posts2 "), undefined);
  for (const bad of ["", "   ", "Posts", "blog-posts", "1posts", "_private", "class", "posts!"]) {
    assert.ok(checkDomainName(bad), bad);
  }
});

test("the request names the domain and, when known, the project", () => {
  assert.deepEqual(newDomainArguments(" posts ", "file:///p/src/main.py"), [
    { name: "posts", uri: "file:///p/src/main.py" },
  ]);
  assert.deepEqual(newDomainArguments("posts", undefined), [{ name: "posts" }]);
});

test("the summary tells what happened, and why not", () => {
  const created = { applied: true, files: ["file:///p/src/posts/router.py", "file:///p/x.py"] };
  assert.equal(describeResult("posts", created), "Created domain posts (2 files).");
  const refused = { applied: false, reason: "src/posts already exists; nothing was created" };
  assert.match(describeResult("posts", refused), /not created: src\/posts already exists/);
  assert.match(describeResult("posts", { applied: true, files: [], notes: ["x"] }), /Note: x\./);
  assert.match(describeResult("posts", null), /did not answer/);
  assert.equal(routerFile(created), "file:///p/src/posts/router.py");
  assert.equal(routerFile({ files: ["file:///p/a.py"] }), undefined);
});
