#!/usr/bin/env python3
"""Edit-to-reload benchmark for `pufa serve` on the shared 10,000-page corpus.

Starts the release `pufa serve`, edits one page N times and measures, for each save, the time
until the live-reload event reaches a connected client (what an editor waits for). Prints it
beside a full `pufa build` of the same corpus and, when Debian's `hugo` is installed, Hugo's
server rebuild of the same edit (from its own "Total in N ms" log line), all in one run.

    tests/bench/serve.py [--pages 10000] [--edits 5]
"""
import argparse, os, re, select, shutil, socket, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")


def edit(path, i):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"\n编辑标记 \d+。\n$", "\n", text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + f"\n编辑标记 {i}。\n")


def first_page(content, section="news"):
    folder = os.path.join(content, section)
    return os.path.join(folder, sorted(n for n in os.listdir(folder) if n != "_index.md")[0])


def pufa_serve(site, edits):
    proc = subprocess.Popen([os.path.join(ROOT, "target/release/pufa"), "serve", "--root", site, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", proc.stdout.readline()).group(1))
        proc.stdout.readline()  # the first full build
        sse = socket.create_connection(("127.0.0.1", port))
        sse.sendall(b"GET /__pufa/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sse.recv(4096)  # headers
        page = first_page(os.path.join(site, "content"))
        times, server_ms = [], []
        for i in range(edits):
            time.sleep(0.3)
            start = time.perf_counter()
            edit(page, i)
            data = b""
            while b"event: reload" not in data:
                ready, _, _ = select.select([sse], [], [], 30)
                if not ready:
                    raise SystemExit("no reload event within 30 s")
                data += sse.recv(4096)
            times.append((time.perf_counter() - start) * 1000)
            server_ms.append(re.search(r"rebuilt (\d+) file\(s\) in (\d+) ms", proc.stdout.readline()))
        written = {m.group(1) for m in server_ms if m}
        print(f"pufa serve, each save -> reload event: {', '.join(f'{t:.0f}' for t in times)} ms")
        return statistics.median(times), statistics.median(int(m.group(2)) for m in server_ms if m), written
    finally:
        proc.kill()
        proc.wait()


def hugo_serve(site, edits):
    port = socket.socket(); port.bind(("127.0.0.1", 0)); number = port.getsockname()[1]; port.close()
    proc = subprocess.Popen(["hugo", "server", "--source", site, "--port", str(number), "--bind", "127.0.0.1",
                             "--disableBrowserError"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in proc.stdout:
            if "Web Server is available" in line:
                break
        page = first_page(os.path.join(site, "content"))
        walls, reported = [], []
        for i in range(edits):
            time.sleep(0.5)
            start = time.perf_counter()
            edit(page, i)
            for line in proc.stdout:
                m = re.search(r"Total in (\d+) ms", line)
                if m:
                    walls.append((time.perf_counter() - start) * 1000)
                    reported.append(int(m.group(1)))
                    break
        return statistics.median(walls), statistics.median(reported)
    finally:
        proc.kill()
        proc.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path", os.path.join(ROOT, "Cargo.toml")], check=True)
    work = tempfile.mkdtemp()
    try:
        plain = os.path.join(work, "plain")
        subprocess.run([sys.executable, GEN, "--pages", str(args.pages), "--out", plain, "--flavor", "plain"], check=True, stdout=subprocess.DEVNULL)
        pufa = os.path.join(ROOT, "target/release/pufa")
        subprocess.run([pufa, "build", "--root", plain, "--quiet"], check=True)
        builds = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([pufa, "build", "--root", plain, "--quiet"], check=True)
            builds.append((time.perf_counter() - start) * 1000)
        reload_ms, server_ms, written = pufa_serve(plain, args.edits)
        print(f"corpus: {args.pages} pages, {args.edits} edits of one page")
        print(f"pufa build (full, median of 3):            {statistics.median(builds):8.0f} ms")
        print(f"pufa serve, save -> reload event (median): {reload_ms:8.0f} ms  (server rebuild {server_ms} ms, files rewritten per edit: {', '.join(sorted(written))})")
        if shutil.which("hugo"):
            site = os.path.join(work, "hugo")
            subprocess.run([sys.executable, GEN, "--pages", str(args.pages), "--out", site, "--flavor", "hugo"], check=True, stdout=subprocess.DEVNULL)
            wall, reported = hugo_serve(site, args.edits)
            print(f"hugo server, save -> rebuilt (median):     {wall:8.0f} ms  (Hugo reports {reported} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
