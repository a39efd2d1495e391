#!/usr/bin/env python3
# Redis-side cost of newer-wins script variants, nothing else running: pre-built EVALSHA calls are
# piped with `redis-cli --pipe` into a private redis-server on a free port (never 6379); for each
# variant: a backfill into an empty Redis, a re-run of identical values, all keys newer, all keys
# older. Prints keys/s (wall) and redis-server CPU microseconds per key (INFO cpu).
# Usage: benchmarks/newer-wins/ceiling.py REDIS_SERVER_BINARY N BATCH VARIANT... (NOEXP=1: no PXAT)
# VARIANT is a .lua file in this directory, or 'current' (the script in NewerWinsScript.java).
import os, socket, struct as st, subprocess, sys, time, random
HERE = os.path.dirname(os.path.abspath(__file__))
binary, N, B = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
variants = sys.argv[4:]
s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
srv = subprocess.Popen([binary, '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], stdout=subprocess.DEVNULL)
def cli(*args):
    return subprocess.run(['redis-cli', '-p', str(port)] + list(args), capture_output=True).stdout.decode()
for _ in range(100):
    if 'PONG' in cli('PING'): break
    time.sleep(0.05)
def cpu():
    info = cli('INFO', 'cpu')
    d = dict(l.split(':') for l in info.splitlines() if ':' in l)
    return float(d['used_cpu_user']) + float(d['used_cpu_sys'])
def resp(args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        out.append(b'$%d\r\n' % len(a)); out.append(a); out.append(b'\r\n')
    return b''.join(out)
def key(i): return b'{\x01' + st.pack('>q', i) + b'}' + b'\xab\xcd\xef\x01'
rnd = random.Random(1)
body = bytes(rnd.getrandbits(8) for _ in range(91))
def value(i, event):
    return b'\x01' + st.pack('>Q', (event) ^ (1 << 63)) + st.pack('>Q', (event + 60_000_000) ^ (1 << 63)) + b'\x12\x34\x56\x78\x9a\xbc\xde\xf0' + body
EXPIRE = b'0' if os.environ.get('NOEXP') else b'%d' % (int(time.time() * 1000) + 86400_000 * 30)
def script_file(sha, event_base):
    parts = []
    for start in range(0, N, B):
        ids = range(start, min(N, start + B))
        ks = [key(i) for i in ids]
        vs = [value(i, event_base + (i % 86000) * 1_000_000) for i in ids]
        parts.append(resp([b'EVALSHA', sha, b'%d' % len(ks)] + ks + vs + [EXPIRE] * len(ks)))
    return b''.join(parts)
def run(name, data, commands):
    path = os.path.join(os.environ.get('TMPDIR', '/tmp'), 'newer-wins-pipe.bin')
    open(path, 'wb').write(data)
    c0 = cpu(); t0 = time.time()
    r = subprocess.run(['redis-cli', '-p', str(port), '--pipe'], stdin=open(path, 'rb'), capture_output=True)
    t = time.time() - t0; c = cpu() - c0
    errs = r.stdout.decode().strip().splitlines()[-1]
    print(f'{name:40s} keys/s {N/t:>10,.0f}  redis-cpu us/key {c*1e6/N:6.2f}  wall {t:5.2f}s  {errs}', flush=True)
T0 = 1_795_219_200_000_000
# baselines
hset = b''.join(resp([b'HSET', b'myhash', b'element:__rand_int__', body + b'x' * 25]) for _ in range(N))
run('HSET one field (like redis-benchmark)', hset, N)
cli('FLUSHALL')
setd = b''.join(resp([b'SET', key(i), value(i, T0)]) for i in range(N))
run('SET distinct keys', setd, N)
cli('FLUSHALL')
for v in variants:
    if v == 'current':
        java = open(os.path.join(HERE, '../../online-store-writer/src/main/java/dev/featurestore/onlinestore/writer/NewerWinsScript.java')).read()
        src = java[java.index('"""') + 3:java.rindex('"""')]
    else:
        src = open(os.path.join(HERE, v + '.lua')).read()
    sha = cli('SCRIPT', 'LOAD', src).strip().encode()
    assert len(sha) == 40, sha
    first = script_file(sha, T0)
    cli('FLUSHALL')
    run(f'{v} B={B} backfill (empty)', first, N)
    run(f'{v} B={B} re-run identical', first, N)
    newer = script_file(sha, T0 + 1)
    run(f'{v} B={B} all exist, newer', newer, N)
    run(f'{v} B={B} all exist, older', first, N)
    print(' dbsize', cli('DBSIZE').strip(), flush=True)
    cli('FLUSHALL')
srv.terminate()
