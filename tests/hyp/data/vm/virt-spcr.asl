/* SPDX-License-Identifier: MIT */
/* virt-spcr.asl - SPCR (iasl data table) for QEMU's arm64 virt: the pl011
 * console at 0x09000000 on GSIV 33.  -DOTHER_IRQ says GSIV 34 instead,
 * -DOTHER_UART a console at 0x09040000 that no DSDT Device describes,
 * -DMOVED_UART the console at 0x09001000, where virt.dsl moves it. */
[0004]                          Signature : "SPCR"
[0004]                       Table Length : 00000000
[0001]                           Revision : 02
[0001]                           Checksum : 00
[0006]                             Oem ID : "FWKTST"
[0008]                       Oem Table ID : "VIRTSPCR"
[0004]                       Oem Revision : 00000001
[0004]                    Asl Compiler ID : "INTL"
[0004]              Asl Compiler Revision : 00000000

[0001]                     Interface Type : 03
[0003]                           Reserved : 000000

[0012]               Serial Port Register : [Generic Address Structure]
[0001]                           Space ID : 00 [SystemMemory]
[0001]                          Bit Width : 20
[0001]                         Bit Offset : 00
[0001]               Encoded Access Width : 03 [DWord Access:32]
#ifdef OTHER_UART
[0008]                            Address : 0000000009040000
#else
#ifdef MOVED_UART
[0008]                            Address : 0000000009001000
#else
[0008]                            Address : 0000000009000000
#endif
#endif

[0001]                     Interrupt Type : 08
[0001]                PCAT-compatible IRQ : 00
#ifdef OTHER_IRQ
[0004]                          Interrupt : 00000022
#else
[0004]                          Interrupt : 00000021
#endif
[0001]                          Baud Rate : 07
[0001]                             Parity : 00
[0001]                          Stop Bits : 01
[0001]                       Flow Control : 00
[0001]                      Terminal Type : 03
[0001]                           Reserved : 00
[0002]                      PCI Device ID : FFFF
[0002]                      PCI Vendor ID : FFFF
[0001]                            PCI Bus : 00
[0001]                         PCI Device : 00
[0001]                       PCI Function : 00
[0004]                          PCI Flags : 00000000
[0001]                        PCI Segment : 00
[0004]                           Reserved : 00000000
