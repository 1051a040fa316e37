package io.carbon.computeimage.adapter.convert.kernel;

import io.carbon.computeimage.adapter.convert.block.BlockDevice;
import io.carbon.computeimage.adapter.convert.block.MalformedDiskIOException;
import io.carbon.computeimage.adapter.convert.block.SliceDevice;
import io.carbon.computeimage.adapter.convert.block.UnsupportedDiskFeatureIOException;
import io.carbon.computeimage.adapter.convert.fs.Filesystem;
import io.carbon.computeimage.adapter.convert.fs.FilesystemProbe;
import io.carbon.computeimage.adapter.convert.fs.FsNode;
import io.carbon.computeimage.adapter.convert.fs.NodeKind;
import io.carbon.computeimage.adapter.convert.fs.UnsupportedFilesystemIOException;
import io.carbon.computeimage.adapter.convert.partition.Partition;
import io.carbon.computeimage.adapter.convert.partition.PartitionTable;
import io.carbon.computeimage.adapter.convert.partition.PartitionTableReader;
import io.carbon.computeimage.ports.disk.BootFiles;
import io.carbon.computeimage.ports.disk.KernelExtractor;
import io.carbon.computeimage.ports.disk.KernelOptions;
import io.carbon.computeimage.ports.error.CancelledException;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.error.MalformedImageException;
import io.carbon.computeimage.ports.error.NotFoundException;
import io.carbon.computeimage.ports.error.UnsupportedFeatureException;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds the kernel, initrd and command line a raw or qcow2 disk would boot by reading its
 * partition table and filesystems (no mounting), and writes {@code vmlinuz}, {@code initrd} and
 * {@code cmdline} (and, on request, {@code vmlinux} or {@code Image}) into the output directory,
 * each through a temporary name and an atomic rename.
 */
public final class DiskKernelExtractor implements KernelExtractor {
  /** The output file names. */
  public static final String KERNEL = "vmlinuz";
  /** The initrd output file name. */
  public static final String INITRD = "initrd";
  /** The command line output file name. */
  public static final String CMDLINE = "cmdline";

  /** Larger kernels or initrds are taken for malformed sizes. */
  private static final long MAX_BOOT_FILE = 2L << 30;

  private final DiskOpener opener;

  /** Creates the extractor with the default disk opener (raw, and qcow2 when available). */
  public DiskKernelExtractor() {
    this(DiskOpener.DEFAULT);
  }

  /**
   * Creates the extractor with a disk opener.
   *
   * @param opener opens a disk file as a block device
   */
  public DiskKernelExtractor(DiskOpener opener) {
    this.opener = opener;
  }

  @Override
  public String name() {
    return "disk-java";
  }

  /** A partition with its filesystem (or why it has none). */
  private record Volume(Partition partition, Filesystem fs, String note) {}

  @Override
  public BootFiles extract(Path disk, Path outputDir, KernelOptions options,
      ProgressListener listener, Cancellation cancellation) throws ComputeImageException {
    try (BlockDevice dev = opener.open(disk)) {
      return extract(disk, dev, outputDir, options, listener, cancellation);
    } catch (MalformedDiskIOException e) {
      throw new MalformedImageException("cannot extract the kernel from " + disk + ": "
          + e.getMessage(), e);
    } catch (UnsupportedFilesystemIOException | UnsupportedDiskFeatureIOException e) {
      throw new UnsupportedFeatureException("cannot extract the kernel from " + disk + ": "
          + e.getMessage(), e);
    } catch (IOException e) {
      throw new LocalStorageException("cannot extract the kernel from " + disk + " into "
          + outputDir + ": " + LocalStorageException.describe(e), e);
    }
  }

  private BootFiles extract(Path disk, BlockDevice dev, Path outputDir, KernelOptions options,
      ProgressListener listener, Cancellation cancellation)
      throws IOException, ComputeImageException {
    PartitionTable table = PartitionTableReader.read(dev);
    table.notes().forEach(n -> listener.note(disk.getFileName() + ": " + n));
    List<Volume> volumes = new ArrayList<>();
    try {
      for (Partition p : table.partitions()) {
        cancellation.check();
        volumes.add(openVolume(dev, p));
      }
      List<String> looked = new ArrayList<>();
      Optional<Volume> root = findRoot(volumes);
      List<Volume> order = new ArrayList<>(volumes);
      order.sort(Comparator.comparingInt(DiskKernelExtractor::rank));
      for (Volume v : order) {
        looked.add(v.partition().describe() + ": " + v.note());
        if (v.fs() == null) {
          continue;
        }
        cancellation.check();
        FsBootView view = new FsBootView(v.fs());
        FsBootView rootView = root.map(r -> new FsBootView(r.fs())).orElse(view);
        for (String bootDir : List.of("", "/boot")) {
          if (!hasBootFiles(view, bootDir)) {
            continue;
          }
          Optional<BootChoice> choice = BootSelector.choose(view, bootDir,
              rootView.filesystem() == v.fs() ? view : rootView);
          if (choice.isPresent()) {
            String cmdline = choice.get().commandLine();
            if (cmdline.isBlank()) {
              Volume r = root.orElse(v);
              cmdline = "root=UUID=" + r.fs().uuid() + " ro";
              listener.note("no boot configuration gives a command line; derived '" + cmdline
                  + "' from the root filesystem on " + r.partition().describe());
            }
            listener.note("kernel " + choice.get().kernelPath() + " on "
                + v.partition().describe() + " chosen by " + choice.get().source());
            return write(disk, view, choice.get(), cmdline, outputDir, options, listener,
                cancellation);
          }
          looked.set(looked.size() - 1, looked.get(looked.size() - 1) + " (kernels under '"
              + (bootDir.isEmpty() ? "/" : bootDir) + "' but none with a matching initrd)");
        }
      }
      throw new NotFoundException("no kernel with a matching initrd found in " + disk + " ("
          + table.scheme() + "); looked at: " + String.join("; ", looked));
    } finally {
      for (Volume v : volumes) {
        if (v.fs() != null) {
          v.fs().close();
        }
      }
    }
  }

  private static Volume openVolume(BlockDevice dev, Partition p) throws IOException {
    if (p.isBiosBoot()) {
      return new Volume(p, null, "skipped (BIOS boot)");
    }
    BlockDevice slice = new SliceDevice(dev, p.startByte(), p.sizeBytes());
    String type = FilesystemProbe.detect(slice);
    if (type.isEmpty()) {
      return new Volume(p, null, "no known filesystem");
    }
    try {
      Optional<Filesystem> fs = FilesystemProbe.open(slice);
      return fs.map(f -> new Volume(p, f, type)).orElseGet(() -> new Volume(p, null, type
          + " (not readable)"));
    } catch (UnsupportedFilesystemIOException e) {
      return new Volume(p, null, type + " (" + e.getMessage() + ")");
    }
  }

  /** XBOOTLDR first, then Linux partitions in number order, the ESP last. */
  private static int rank(Volume v) {
    Partition p = v.partition();
    int base = p.isXbootldr() ? 0 : p.isEsp() ? 2_000_000 : 1_000_000;
    return base + p.number();
  }

  private static Optional<Volume> findRoot(List<Volume> volumes) throws IOException {
    Volume best = null;
    for (Volume v : volumes) {
      if (v.fs() == null || v.partition().isEsp()) {
        continue;
      }
      FsBootView view = new FsBootView(v.fs());
      boolean hasEtc = false;
      // the root of the filesystem, or a root subvolume as Fedora ("root") and Ubuntu-style "@"
      for (String etcPath : List.of("/etc", "/root/etc", "/@/etc")) {
        Optional<FsNode> etc = view.node(etcPath);
        if (etc.isPresent() && etc.get().kind() == NodeKind.DIRECTORY) {
          hasEtc = true;
          break;
        }
      }
      if (hasEtc) {
        if (best == null || v.partition().isDiscoverableRoot()) {
          best = v;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static boolean hasBootFiles(BootView v, String bootDir) throws IOException {
    for (String name : v.list(bootDir.isEmpty() ? "/" : bootDir)) {
      if (KernelNames.kernelVersion(name).isPresent() || name.equals("loader")) {
        return true;
      }
    }
    return false;
  }

  private static BootFiles write(Path disk, FsBootView view, BootChoice c, String cmdline,
      Path outputDir, KernelOptions options, ProgressListener listener, Cancellation cancellation)
      throws IOException, ComputeImageException {
    Files.createDirectories(outputDir);
    FsNode kernelNode = view.node(c.kernelPath()).orElseThrow(() ->
        new MalformedDiskIOException("kernel " + c.kernelPath() + " vanished"));
    FsNode initrdNode = view.node(c.initrdPath()).orElseThrow(() ->
        new MalformedDiskIOException("initrd " + c.initrdPath() + " vanished"));
    Path kernel = outputDir.resolve(KERNEL);
    Path initrd = outputDir.resolve(INITRD);
    Path cmdFile = outputDir.resolve(CMDLINE);
    List<Path> extra = new ArrayList<>();
    copy(view.filesystem(), kernelNode, kernel, "kernel " + c.kernelPath(), listener, cancellation);
    copy(view.filesystem(), initrdNode, initrd, "initrd " + c.initrdPath(), listener, cancellation);
    writeAtomically(cmdFile, out -> out.write((cmdline + "\n").getBytes(StandardCharsets.UTF_8)));
    if (options.uncompressedKernel()) {
      if (kernelNode.size() > 256L << 20) {
        throw new MalformedDiskIOException("kernel " + c.kernelPath() + " is " + kernelNode.size()
            + " bytes");
      }
      byte[] k = Files.readAllBytes(kernel);
      KernelUnpacker.Kind kind = KernelUnpacker.kindOf(k);
      Path target = outputDir.resolve(kind.fileName());
      listener.note("unpacking the " + kind.fileName() + " from " + c.kernelPath());
      writeAtomically(target, out -> KernelUnpacker.unpack(k, out));
      extra.add(target);
    }
    return new BootFiles(kernel, initrd, cmdFile, cmdline, c.version(), extra);
  }

  @FunctionalInterface
  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void copy(Filesystem fs, FsNode node, Path target, String what,
      ProgressListener listener, Cancellation cancellation) throws IOException, CancelledException {
    if (node.size() > MAX_BOOT_FILE) {
      throw new MalformedDiskIOException(what + " claims " + node.size() + " bytes");
    }
    String task = target.getFileName().toString();
    listener.started(task, "extract " + what, node.size());
    byte[] buf = new byte[1 << 20];
    CancelledException[] cancelled = new CancelledException[1];
    writeAtomically(target, out -> {
      try (InputStream in = fs.open(node)) {
        long done = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          done += n;
          listener.progressed(task, done);
          if (cancellation.isCancelled() || Thread.currentThread().isInterrupted()) {
            cancelled[0] = new CancelledException("kernel extraction cancelled");
            throw new IOException("cancelled");
          }
        }
        if (done != node.size()) {
          throw new MalformedDiskIOException(what + " is " + node.size() + " bytes but " + done
              + " were read");
        }
      }
    }, cancelled);
    listener.finished(task);
  }

  private static void writeAtomically(Path target, Writer w) throws IOException {
    try {
      writeAtomically(target, w, new CancelledException[1]);
    } catch (CancelledException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writeAtomically(Path target, Writer w, CancelledException[] cancelled)
      throws IOException, CancelledException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    boolean ok = false;
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        w.write(out);
      } catch (IOException e) {
        if (cancelled[0] != null) {
          throw cancelled[0];
        }
        throw e;
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      ok = true;
    } finally {
      if (!ok) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
