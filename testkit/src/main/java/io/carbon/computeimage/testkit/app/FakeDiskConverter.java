package io.carbon.computeimage.testkit.app;

import io.carbon.computeimage.ports.disk.ConversionResult;
import io.carbon.computeimage.ports.disk.DiskConverter;
import io.carbon.computeimage.ports.error.ComputeImageException;
import io.carbon.computeimage.ports.error.LocalStorageException;
import io.carbon.computeimage.ports.model.DiskFormat;
import io.carbon.computeimage.ports.progress.Cancellation;
import io.carbon.computeimage.ports.progress.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A converter that copies bytes (a "qcow2" here is any file) and counts conversions. */
public final class FakeDiskConverter implements DiskConverter {
  private final AtomicInteger conversions = new AtomicInteger();
  private volatile ComputeImageException failWith;

  /** @return how many conversions ran */
  public int conversions() {
    return conversions.get();
  }

  /**
   * Makes the next conversions fail.
   *
   * @param e the failure, or null to succeed again
   */
  public void failWith(ComputeImageException e) {
    this.failWith = e;
  }

  @Override
  public String name() {
    return "fake-converter";
  }

  @Override
  public Set<DiskFormat> readableFormats() {
    return Set.of(DiskFormat.QCOW2, DiskFormat.RAW);
  }

  @Override
  public Set<DiskFormat> writableFormats() {
    return Set.of(DiskFormat.RAW, DiskFormat.VHD_FIXED);
  }

  @Override
  public DiskFormat detect(Path source) {
    return DiskFormat.QCOW2;
  }

  @Override
  public ConversionResult convert(
      Path source, Path destination, DiskFormat target, ProgressListener listener, Cancellation cancellation)
      throws ComputeImageException {
    cancellation.check();
    if (failWith != null) {
      throw failWith;
    }
    conversions.incrementAndGet();
    try {
      Path tmp = destination.resolveSibling(destination.getFileName() + ".part");
      Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      long size = Files.size(destination);
      return new ConversionResult(destination, DiskFormat.QCOW2, target, size, size);
    } catch (IOException e) {
      throw new LocalStorageException("cannot convert " + source + ": " + e, e);
    }
  }
}
