// A local SMTP server for the mail tests, on the `smtp-server` npm package (.ci/run installs it and starts this).
// Two listeners on 127.0.0.1:
//   SMTP_TLS_PORT    offers STARTTLS (certificate KEY/CERT) and AUTH PLAIN/LOGIN, refuses AUTH before STARTTLS (538),
//                    accepts one login (USER/PASSWORD), refuses every recipient whose local part is "refused" (550).
//   SMTP_PLAIN_PORT  no STARTTLS, AUTH offered in clear text: a client that logs in here has sent its password unencrypted.
// Every message taken is written to INBOX as "<time>-<n>.eml" (written under a temporary name, then renamed); every
// AUTH attempt is a line "<listener> <user> <ok|refused> <tls|plain>" in INBOX/auth.log.
"use strict";
const fs = require("fs");
const path = require("path");
const { SMTPServer } = require("smtp-server");

const env = (name) => {
  const value = process.env[name];
  if (!value) { console.error("smtp-tls-server: " + name + " is not set"); process.exit(2); }
  return value;
};
const inbox = env("INBOX");
const user = env("USER_NAME");
const password = env("PASSWORD");
fs.mkdirSync(inbox, { recursive: true });
let count = 0;

function listener(name, options) {
  return new SMTPServer(Object.assign({
    name: "smtp-tls-test",
    banner: "UcjFlow test server (" + name + ")",
    authMethods: ["PLAIN", "LOGIN"],
    disabledCommands: [],
    logger: false,
    onAuth(auth, session, callback) {
      const ok = auth.username === user && auth.password === password;
      fs.appendFileSync(path.join(inbox, "auth.log"),
        name + " " + auth.username + " " + (ok ? "ok" : "refused") + " " + (session.secure ? "tls" : "plain") + "\n");
      if (!ok) return callback(new Error("Invalid username or password"));
      callback(null, { user: auth.username });
    },
    onRcptTo(address, session, callback) {
      if (address.address.toLowerCase().startsWith("refused@")) {
        const e = new Error("<" + address.address + ">: Recipient address rejected: user unknown");
        e.responseCode = 550;
        return callback(e);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", () => {
        const file = Date.now() + "-" + (++count) + ".eml";
        const temp = path.join(inbox, "." + file + ".tmp");
        fs.writeFileSync(temp, Buffer.concat(chunks));
        fs.renameSync(temp, path.join(inbox, file));
        callback(null, "Message queued as " + file);
      });
    },
  }, options));
}

const tls = listener("tls", {
  key: fs.readFileSync(env("KEY")),
  cert: fs.readFileSync(env("CERT")),
  allowInsecureAuth: false,
  authOptional: false,
});
const plain = listener("plain", {
  disabledCommands: ["STARTTLS"],
  allowInsecureAuth: true,
  authOptional: true,
});
for (const [server, port] of [[tls, env("SMTP_TLS_PORT")], [plain, env("SMTP_PLAIN_PORT")]]) {
  server.on("error", (e) => console.error("smtp-tls-server:", e.message));
  server.listen(Number(port), "127.0.0.1");
}
const stop = () => { tls.close(); plain.close(); process.exit(0); };
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
