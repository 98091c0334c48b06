"""A real disk for the USB export tests: a loop device over an ext4 image.

This machine's kernel may lack vfat; the program mounts FAT, exFAT, NTFS and ext4 through the
same mount(2) call. Needs root, losetup and mkfs.ext4 (Debian's mount and e2fsprogs, in every
minbase): a missing one fails the test, never skips it.
"""
import os
import shutil
import subprocess


def make_loop_disk(test, directory, name, size_mb=32):
    """(device, image): a fresh ext4 image `name`.img in `directory` behind a free loop device."""
    for tool in ("losetup", "mkfs.ext4", "mount", "umount"):
        test.assertIsNotNone(shutil.which(tool), f"{tool} is missing (packages mount, e2fsprogs)")
    test.assertEqual(os.geteuid(), 0, "the USB export tests mount a loop device: run them as root")
    image = os.path.join(directory, name + ".img")
    with open(image, "wb") as f:
        f.truncate(size_mb * 1024 * 1024)
    subprocess.run(["mkfs.ext4", "-q", image], check=True, timeout=60)
    device = subprocess.run(["losetup", "--find", "--show", image], capture_output=True, text=True,
                            check=True, timeout=30).stdout.strip()
    return device, image


def free_loop_disk(device):
    """Detaches the loop device (its image stays until its folder goes)."""
    subprocess.run(["losetup", "-d", device], timeout=30)
