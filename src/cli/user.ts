import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createCatalogue } from '../catalogue/index.ts';
import { isRole, ROLES, UserError, type Role } from '../catalogue/users.ts';

const USAGE = `usage: npm run user -- add NAME --role ${ROLES.join('|')}   (password from standard input)
       npm run user -- passwd NAME                 (new password from standard input)
       npm run user -- role NAME ${ROLES.join('|')}
       npm run user -- disable NAME | enable NAME
       npm run user -- list`;

/** The password: typed without echo on a terminal, else the first line of standard input. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (data: string) => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') {
          stdin.setRawMode(false);
          reject(new Error('cancelled'));
          return;
        }
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<number> {
  const args = parseArgs({ allowPositionals: true, options: { role: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const [command, name, extra] = args.positionals;
  if (args.values.help || !command) {
    console.error(USAGE);
    return args.values.help ? 0 : 2;
  }
  const catalogue = createCatalogue(loadConfig().dataDir);
  try {
    const { users, sessions, audit } = catalogue;
    if (command === 'list') {
      for (const u of users.list()) console.log(`${u.name}\t${u.role}${u.disabled ? '\tdisabled' : ''}`);
      return 0;
    }
    if (!name) {
      console.error(USAGE);
      return 2;
    }
    const existing = users.findByName(name);
    if (command === 'add') {
      const role = args.values.role ?? 'editor';
      if (!isRole(role)) throw new UserError('unknown-user', `unknown role "${role}": use ${ROLES.join(' or ')}`);
      const user = await users.create(name, role, await readPassword(`password for ${name}: `));
      audit.record('cli', 'user-create', user.name, user.role);
      console.error(`created ${user.role} ${user.name}`);
      return 0;
    }
    if (!existing) throw new UserError('unknown-user', `no such user: ${name}`);
    if (command === 'passwd') {
      await users.setPassword(existing.id, await readPassword(`new password for ${name}: `));
      sessions.destroyForUser(existing.id);
      audit.record('cli', 'user-password', existing.name);
    } else if (command === 'role' && isRole(extra)) {
      users.setRole(existing.id, extra as Role);
      audit.record('cli', 'user-role', existing.name, extra);
    } else if (command === 'disable' || command === 'enable') {
      users.setDisabled(existing.id, command === 'disable');
      if (command === 'disable') sessions.destroyForUser(existing.id);
      audit.record('cli', `user-${command}`, existing.name);
    } else {
      console.error(USAGE);
      return 2;
    }
    console.error(`${command}: ${existing.name} done`);
    return 0;
  } finally {
    catalogue.close();
  }
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
