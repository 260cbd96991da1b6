/**
 * Where a server's directory comes from: a folder on the machine, or a bundle that a fleet polls
 * from any web server, verified before it loads; and {@code gavel bundle}, which makes bundles.
 *
 * <h2>The problem</h2>
 *
 * A fleet of instances must serve the same directory, learn of a new one within a poll interval,
 * never load one that is corrupt, tampered with or broken, and keep serving the old one when the
 * new one is bad or the origin is down. Checks only read an immutable snapshot, so nothing needs
 * coordination beyond that: each instance fetches, verifies and swaps on its own, and reports a
 * <em>content version</em> that names what it serves, the same string on every instance that
 * serves the same content. Convergence is "every instance reports the version just published".
 *
 * <h2>Files</h2>
 *
 * <ul>
 * <li>{@code bundle.tar.gz}: the directory's files ({@code *.json}, {@code accounts/*.json}) as a
 *     gzip-compressed tar, written deterministically ({@link dev.gavel.sidecar.source.BundleArchive}).
 *     Any tar.gz of a directory folder works; {@code gavel bundle} makes the same bytes every time.
 * <li>{@code bundle.tar.gz.sha256}: its SHA-256 as {@code sha256sum} prints it,
 *     {@code HEX  bundle.tar.gz}. Required unless the digest is pinned ({@code --bundle-sha256}).
 *     The content version is {@code sha256:HEX}.
 * <li>{@code bundle.tar.gz.sig}: with {@code --bundle-public-key}, required: pure Ed25519 over the
 *     bundle's bytes, base64 on one line ({@code gavel bundle --sign-key}), or the 64 raw bytes
 *     ({@code openssl pkeyutl -sign -rawin}). Keys are PEM: PKCS#8 private, SubjectPublicKeyInfo
 *     public, as {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout}
 *     write them.
 * </ul>
 *
 * Over plain HTTP the {@code .sha256} file only guards against corruption, since whoever can
 * change the bundle in transit can change it too; against tampering, use HTTPS, a pinned digest
 * or a signature.
 *
 * <h2>Wiring {@code gavel serve}</h2>
 *
 * <pre>{@code
 * @Mixin SourceOptions sourceOptions;        // --directory DIR | --bundle URL, --bundle-sha256,
 *                                           // --bundle-public-key, --bundle-poll, --directory-poll
 * DirectorySource source;
 * Directory directory;
 * try {
 *     source = sourceOptions.open();        // CONFIG: a wrong combination, bad digest, bad key
 *     directory = source.load();            // retries network failures (0.5, 1, 2 s), then gives up
 * } catch (SourceException e) {
 *     err.println("gavel serve: " + e.report());   // the message, then each load problem
 *     return 2;                             // nothing to serve: exit, as for a bad --directory
 * }
 * Engine engine = Engine.of(directory);    // never Engine.open(path) nor engine.watch(): the source watches
 * served = new Served(engine.version(), source.contentVersion());   // a volatile field
 * source.start(new DirectorySource.Listener() {
 *     public void updated(Directory next, String version) {         // on the source's thread
 *         long snapshot = engine.reload(next);
 *         served = new Served(snapshot, version);
 *         log("gavel serve: serving " + version + " (snapshot " + snapshot + ")");
 *     }
 *     public void failed(SourceException e) {                       // once per distinct reason
 *         log("gavel serve: " + e.report() + "; still serving " + served.version());
 *     }
 *     public void recovered(SourceStatus status) {
 *         log("gavel serve: " + status.source() + " answers again; serving " + status.contentVersion());
 *     }
 * });
 * // on shutdown: source.close(); then close the engine.
 * }</pre>
 *
 * Report the content version wherever the server reports its state: the HTTP API's status
 * response and the binary protocol's status reply should carry {@code source.status()} (content
 * version, when loaded, last check, failure and its reason, failures in a row) beside
 * {@code engine.version()}; a metrics endpoint can export it as an info metric with the version as
 * a label. The engine's snapshot version, which every answer carries, counts reloads on one
 * instance and differs between instances; the content version is what a fleet compares, and
 * {@code Served} above maps one to the other. An admin "reload now" request can call
 * {@link dev.gavel.sidecar.source.DirectorySource#poll()}.
 */
package dev.gavel.sidecar.source;
