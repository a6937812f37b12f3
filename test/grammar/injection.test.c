// SYNTAX TEST "source.c" "the injection marks only Jailhouse constants in C"
int flags = JAILHOUSE_MEM_READ | PCI_CAP_ID_MSI;
//          ^^^^^^^^^^^^^^^^^^ constant.language.jailhouse
//                               ^^^^^^^^^^^^^^ - constant.language.jailhouse
/* JAILHOUSE_MEM_READ */
// ^^^^^^^^^^^^^^^^^^ - constant.language.jailhouse
